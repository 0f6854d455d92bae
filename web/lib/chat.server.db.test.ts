/**
 * New chats start with the administrator's default model (setting chat.default_model, issue 15.6) when the
 * person may use it, else with the first model they may use.
 */
import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCtx, systemActor } from '../../api/lib/ctx';
import { createTestServices, type TestServices } from '../../tests/helpers/test-app';
import { chatSidebarData } from './chat.server';

let t: TestServices;
let context: AppLoadContext;
const ids: Record<'alpha' | 'beta', string> = { alpha: '', beta: '' };
const sys = () => createCtx({ db: t.database.db, log: t.log, actor: systemActor('cli') });

beforeAll(async () => {
  t = await createTestServices();
  for (const name of ['alpha', 'beta'] as const) {
    ids[name] = (
      await t.services.models.create(sys(), {
        provider: 'openai-compatible',
        modelId: `model-${name}`,
        displayName: `Model ${name}`,
        baseUrl: 'http://127.0.0.1:9/v1',
      })
    ).id;
  }
  const person = await t.services.users.create(sys(), { email: 'teacher@example.org', roles: ['staff'] });
  const actor = (await t.services.users.actorFor(t.database.db, person.id))!;
  context = {
    services: t.services,
    ctx: createCtx({ db: t.database.db, log: t.log, actor }),
    nonce: '',
    requestId: 'test',
  } as unknown as AppLoadContext;
});
afterAll(() => t?.close());

const firstModel = async () => (await chatSidebarData(context, new URL('http://x/chat'))).models[0]?.id;

describe('the model a new chat starts with', () => {
  it('is the default model when the setting names one the person may use, else the first usable', async () => {
    const usual = await firstModel();
    const other = usual === ids.alpha ? ids.beta : ids.alpha;
    await t.services.settings.set(sys(), { key: 'chat.default_model', value: other });
    expect(await firstModel()).toBe(other);
    // A default the person cannot use (unknown, or another's) is ignored.
    await t.services.settings.set(sys(), { key: 'chat.default_model', value: 'no-such-model' });
    expect(await firstModel()).toBe(usual);
  });
});
