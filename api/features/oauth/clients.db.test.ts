/** The audit trail of OAuth client administration: each edit lists what changed, before → after. */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../../db/schema/index';
import { createTestServices, type TestServices } from '../../../tests/helpers/test-app';
import { createCtx, systemActor } from '../../lib/ctx';

let t: TestServices;
const cli = () => createCtx({ db: t.database.db, log: t.log, actor: systemActor('cli') });

beforeAll(async () => {
  t = await createTestServices();
});
afterAll(() => t?.close());

const eventsOf = (targetId: string) =>
  t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetType, 'oauth_client'), eq(auditEvents.targetId, targetId)))
    .orderBy(auditEvents.id);

describe('audit of OAuth client edits', () => {
  it('lists the edited fields before → after, lists added/removed, and disable/enable as a status change', async () => {
    await t.services.users.create(cli(), { email: 'robot@example.org', roles: ['staff'] });
    const { client, secret } = await t.services.oauthClients.create(cli(), {
      name: 'Gradebook sync',
      redirectUris: ['https://gradebook.example.org/callback'],
      scopes: ['openid', 'models:read'],
    });
    await t.services.oauthClients.update(cli(), client.id, {
      name: 'Gradebook',
      redirectUris: ['https://gradebook.example.org/callback', 'https://gb.example.org/cb'],
      scopes: ['openid'],
      serviceUserEmail: 'robot@example.org',
    });
    await t.services.oauthClients.update(cli(), client.id, { status: 'disabled' });
    await t.services.oauthClients.update(cli(), client.id, { status: 'active' });
    const events = await eventsOf(client.id);
    expect(events.map((e) => [e.action, e.details])).toEqual([
      ['oauth_clients.create', expect.objectContaining({ name: 'Gradebook sync' })],
      [
        'oauth_clients.update',
        {
          client: 'Gradebook sync',
          name: { from: 'Gradebook sync', to: 'Gradebook' },
          serviceUserEmail: { from: null, to: 'robot@example.org' },
          redirectUris: { added: ['https://gb.example.org/cb'], removed: [] },
          scopes: { added: [], removed: ['models:read'] },
        },
      ],
      ['oauth_clients.update', { client: 'Gradebook', status: { from: 'active', to: 'disabled' } }],
      ['oauth_clients.update', { client: 'Gradebook', status: { from: 'disabled', to: 'active' } }],
    ]);
    expect(JSON.stringify(events)).not.toContain(secret!);
  });

  it('records a change of the dynamic registration policy as the setting before → after', async () => {
    await t.services.oauthClients.dynamic.setRegistrationMode(cli(), 'approval');
    await t.services.oauthClients.dynamic.setRegistrationMode(cli(), 'off');
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, 'oauth.registration'))
      .orderBy(auditEvents.id);
    expect(events.map((e) => e.details)).toEqual([
      { 'oauth.registration': { from: 'open', to: 'approval' } },
      { 'oauth.registration': { from: 'approval', to: 'off' } },
    ]);
  });
});
