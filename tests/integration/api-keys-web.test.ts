/**
 * The API-key pages over real HTTP (document requests, as without JavaScript): who may open them, a
 * document post that creates a key shows its secret in that answer only, refused input names the field,
 * and nobody revokes someone else's key from their profile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, type SeededRole, usersForEachRole } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let ids: Record<SeededRole, string>;
let cookie: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp({ web: true });
  ({ ids, cookies: cookie } = await usersForEachRole(app));
});
afterAll(async () => {
  await app?.close();
});

const get = (path: string, who: string) => documentClient(app, cookie).get(path, who);
const post = (path: string, who: string, fields: Record<string, string | string[]>) =>
  documentClient(app, cookie).post(path, who, fields);
const SECRET = /sk-[A-Za-z0-9_-]{40,}/;

describe('API key pages', () => {
  it('open only to holders of the capability', async () => {
    expect((await get('/profile/api-keys', 'staff')).status).toBe(200);
    expect((await get('/profile/api-keys', 'student')).status).toBe(403);
    expect((await get('/admin/api-keys', 'staff')).status).toBe(403);
    expect((await get('/admin/api-keys', 'administrator')).status).toBe(200);
    const anon = await app.fetch('/profile/api-keys', { redirect: 'manual' });
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toBe('/auth/signin?next=%2Fprofile%2Fapi-keys');
    const refused = await post('/profile/api-keys', 'student', { intent: 'create', name: 'x', scopes: '*' });
    expect(refused.status).toBe(403);
  });

  it('shows the secret in the answer to the creating post only', async () => {
    const res = await post('/profile/api-keys', 'staff', {
      intent: 'create',
      name: 'Gradebook sync',
      scopes: ['chat', 'models:read'],
      expiresAt: '2099-06-30',
      rateLimitRpm: '20',
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    const secret = html.match(SECRET)?.[0];
    expect(secret).toBeDefined();
    expect((await app.fetch('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } })).status).toBe(
      200,
    );
    const later = await (await get('/profile/api-keys', 'staff')).text();
    expect(later).toContain('Gradebook sync');
    expect(later).not.toMatch(SECRET);
  });

  it('names the field of refused input', async () => {
    const high = await post('/profile/api-keys', 'staff', {
      intent: 'create',
      name: 'Too fast',
      scopes: 'chat',
      rateLimitRpm: '500',
    });
    expect(high.status).toBe(422);
    expect(await high.text()).toContain('Only an administrator can raise the limit above 60');
    const past = await post('/profile/api-keys', 'staff', {
      intent: 'create',
      name: 'Old',
      scopes: 'chat',
      expiresAt: '2001-01-01',
    });
    expect(past.status).toBe(422);
    expect(await past.text()).toContain('must be in the future');
  });

  it('lets people revoke only their own keys, and administrators anyone’s', async () => {
    const page = await app.services.apiKeys.adminList(app.services.systemCtx(), { userId: ids.staff });
    const key = page.items.find((k) => k.name === 'Gradebook sync')!;
    expect(key.rateLimitRpm).toBe(20);
    expect(key.scopes).toEqual(['chat', 'models:read']);
    expect(key.expiresAt).toBe('2099-06-30T23:59:59.999Z');
    const other = await post('/profile/api-keys', 'administrator', { intent: 'revoke', id: key.id });
    expect(other.status).toBe(404);
    const admin = await post('/admin/api-keys', 'administrator', { intent: 'revoke', id: key.id });
    expect(admin.status).toBe(200);
    const after = await app.services.apiKeys.adminList(app.services.systemCtx(), { userId: ids.staff });
    expect(after.items.find((k) => k.id === key.id)?.status).toBe('revoked');
    // A hand-edited cursor or filter does not break the admin page.
    expect(
      (await get('/admin/api-keys?cursor=garbage&status=nope&userId=x&usage=y', 'administrator')).status,
    ).toBe(200);
  });
});
