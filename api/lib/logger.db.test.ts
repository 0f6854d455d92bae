/**
 * Issue 9.2 / 10.5: the error log of a failing query carries no parameter values (prompt text, a key's
 * prefix or hash), and e-mails and `sk-` keys inside errors (message, stack, Postgres detail) are masked.
 * The errors come from real queries on the test database (postgres.js, and drizzle on top of it).
 */
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { apiKeys, users } from '../../db/schema/index';
import { createTestDatabase } from '../../tests/helpers/test-db';
import { createLogger } from './logger';

let database: DbHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination }), lines };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

const PROMPT = 'Write a poem about the secret field trip to Paris';
const PREFIX = 'sk-AbCdEfGhI';
const HASH = `${'f'.repeat(63)}e`;

describe('error logs of failing queries', () => {
  it('omit the parameters of a drizzle insert that Postgres refused', async () => {
    const [user] = await database.db
      .insert(users)
      .values({ email: 'owner@district.example', name: 'Owner' })
      .returning();
    await database.db.insert(apiKeys).values({ userId: user!.id, name: 'k1', prefix: PREFIX, hash: HASH });
    // A duplicate prefix (unique violation) named with the prompt: Postgres echoes the key in `detail`.
    const err = await failure(
      database.db.insert(apiKeys).values({ userId: user!.id, name: PROMPT, prefix: PREFIX, hash: HASH }),
    );
    const { log, lines } = capture();
    log.error({ err }, 'unhandled error');
    const line = lines.join('');
    expect(line).toContain('api_keys_prefix_uq'); // the cause is still there to debug with
    for (const secret of [PROMPT, PREFIX, HASH]) expect(line).not.toContain(secret);
  });

  it('omit the parameters of a raw postgres.js query with a NUL byte', async () => {
    const err = await failure(database.sql`select ${`${PROMPT}\u0000`}::text as t`);
    expect('parameters' in err).toBe(true); // postgres.js carries them …
    const { log, lines } = capture();
    log.error({ err }, 'unhandled error');
    log.error(err); // … and pino's own Error-first form goes through the same serializer
    for (const line of lines) expect(line).not.toContain(PROMPT);
    expect(JSON.parse(lines[0]!).err.message).toMatch(/0x00|invalid byte/);
  });

  it('mask e-mails in Postgres detail, message and stack', async () => {
    await database.db.execute(sql`select 1`);
    const err = await failure(
      database.db.insert(users).values({ email: 'owner@district.example', name: 'Again' }),
    );
    const { log, lines } = capture();
    log.error({ err }, 'insert failed');
    expect(lines[0]).not.toContain('owner@district.example');
  });
});
