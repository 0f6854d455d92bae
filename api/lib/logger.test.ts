import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createCtx, userActor, withActor } from './ctx';
import { createLogger, lazyChild, maskText } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination }), lines };
}

describe('logger', () => {
  it('writes JSON with level labels', () => {
    const { log, lines } = capture();
    log.info({ requestId: 'r1' }, 'hello');
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'hello', requestId: 'r1', service: 'ai-studio' });
  });

  it('redacts secrets by key at any of the first levels', () => {
    const { log, lines } = capture();
    log.info(
      {
        password: 'hunter22',
        headers: { authorization: 'Bearer abc.def.ghi', cookie: 'aistudio_session=zzz' },
        provider: { apiKey: 'sk-live-1234567890' },
        nested: { deeper: { token: 't0ps3cret' } },
      },
      'x',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of [
      'hunter22',
      'abc.def.ghi',
      'aistudio_session=zzz',
      'sk-live-1234567890',
      't0ps3cret',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[REDACTED]');
  });

  it('masks e-mail addresses and bearer tokens in messages and values', () => {
    const { log, lines } = capture();
    log.info(
      { user: 'jane.doe@school.org' },
      'signed in jane.doe@school.org with Bearer eyJhbGciOiJIUzI1NiJ9.x',
    );
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('jane.doe@');
    expect(text).toContain('j***@school.org');
    expect(text).not.toContain('eyJhbGciOiJIUzI1NiJ9');
  });

  it('maskText leaves ordinary text alone', () => {
    expect(maskText('GET /api/health 200')).toBe('GET /api/health 200');
  });

  it('makes a lazy child only when it writes, with its bindings', () => {
    const { log, lines } = capture();
    let children = 0;
    const child = log.child;
    log.child = function (this: typeof log, ...args: Parameters<typeof log.child>) {
      children++;
      return child.apply(this, args);
    } as typeof log.child;
    const lazy = lazyChild(log, { requestId: 'r2' });
    lazy.debug({ n: 1 }, 'below the level');
    expect(children).toBe(0);
    lazy.info({ n: 2 }, 'kept');
    lazy.warn('again');
    expect(children).toBe(1);
    expect(lines).toEqual([
      expect.objectContaining({ requestId: 'r2', n: 2, msg: 'kept' }),
      expect.objectContaining({ requestId: 'r2', msg: 'again', level: 'warn' }),
    ]);
    expect(lazy.isLevelEnabled('debug')).toBe(false);
    const nested = lazyChild(lazyChild(log, { requestId: 'r3' }), { actorId: 'u-1' });
    nested.debug('below the level');
    expect(nested.isLevelEnabled('info')).toBe(true);
    expect(children).toBe(1);
    nested.info('both');
    expect(children).toBe(3);
    expect(lines.at(-1)).toMatchObject({ requestId: 'r3', actorId: 'u-1', msg: 'both' });
  });
});

describe('errors in logs', () => {
  it('masks e-mails and sk- keys in an Error message, stack and cause', () => {
    const { log, lines } = capture();
    const cause = new Error('upstream said: key sk-proj-ABCDEFGHIJKLMNOP is invalid');
    const err = Object.assign(new Error('could not invite jane.doe@school.org', { cause }), {
      detail: 'Key (email)=(jane.doe@school.org) already exists.',
      code: '23505',
    });
    log.error({ err }, 'failed');
    log.error({ other: err }, 'failed elsewhere');
    for (const line of lines) {
      const text = JSON.stringify(line);
      expect(text).not.toContain('jane.doe@');
      expect(text).not.toContain('ABCDEFGHIJKLMNOP');
    }
    const logged = lines[0]!.err as Record<string, unknown>;
    expect(logged).toMatchObject({ type: 'Error', code: '23505', detail: 'Key (email)=(…) already exists.' });
    expect(String(logged.stack)).toContain('j***@school.org');
    expect((logged.cause as { message: string }).message).toContain('sk-[REDACTED]');
  });
});

describe('ctx.log', () => {
  it('carries the actor id', () => {
    const { log, lines } = capture();
    const actor = userActor({
      user: { id: 'u-42', email: 'a@b.org', name: 'A' },
      roles: [],
      capabilities: [],
    });
    const ctx = createCtx({ db: null as never, log, actor });
    ctx.log.info('hello');
    withActor(createCtx({ db: null as never, log }), actor).log.info('again');
    expect(lines.map((l) => l.actorId)).toEqual(['u-42', 'u-42']);
  });
});
