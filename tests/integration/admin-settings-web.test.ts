/**
 * The admin console's settings pages over real HTTP (document requests, as a browser without JavaScript
 * sends them): provider credentials are write-only and never rendered, every setting is labelled in words in
 * named sections, model settings are chosen by name from the registry, limits and the sign-up policy refuse
 * what is out of range with the field named, and an SSO provider keeps its secret write-only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTING_CATEGORIES, SETTING_KEY } from '../../api/features/settings/settings.registry';
import { upsertSetting } from '../../api/features/settings/settings.repo';
import { type AdminConsole, startAdminConsole, systemOf } from '../helpers/admin-console';
import type { TestApp } from '../helpers/test-app';

let t: AdminConsole;
let app: TestApp;
beforeAll(async () => {
  t = await startAdminConsole();
  app = t.app;
});
afterAll(async () => {
  await app?.close();
});

const get: AdminConsole['get'] = (path, who) => t.get(path, who);
const post: AdminConsole['post'] = (path, who, fields) => t.post(path, who, fields);
const sys = () => systemOf(t);

describe('settings and secrets', () => {
  it('stores provider credentials write-only and never renders them', async () => {
    const secret = 'sk-test-very-secret-value-1234567890';
    const res = await post('/admin/models?index', 'admin', {
      intent: 'credentials',
      provider: 'openai',
      'value:openai.api_key': secret,
      'value:openai.base_url': '',
    });
    expect(res.status).toBe(200);
    expect(await app.services.settings.get(sys(), 'openai.api_key')).toBe(secret);
    const page = await (await get('/admin/models', 'admin')).text();
    expect(page).not.toContain(secret);
    expect(page).not.toContain(secret.slice(-4));
    // A blank secret field keeps the stored value.
    await post('/admin/models?index', 'admin', {
      intent: 'credentials',
      provider: 'openai',
      'value:openai.api_key': '',
    });
    expect(await app.services.settings.get(sys(), 'openai.api_key')).toBe(secret);
  });

  it('lets the general settings page write only its own keys', async () => {
    const res = await post('/admin/settings', 'admin', {
      intent: 'save',
      key: 'app.name',
      value: 'Lakeside AI',
    });
    expect(res.status).toBe(200);
    expect(await app.services.settings.get(sys(), 'app.name')).toBe('Lakeside AI');
    const sneaky = await post('/admin/settings', 'admin', {
      intent: 'save',
      key: 'openai.api_key',
      value: 'x',
    });
    expect(sneaky.status).toBe(400);
    const days = await post('/admin/settings', 'admin', {
      intent: 'save',
      key: 'audit.retention_days',
      value: 'soon',
    });
    expect(days.status).toBe(422);
    await post('/admin/settings', 'admin', { intent: 'reset', key: 'app.name' });
    expect(await app.services.settings.get(sys(), 'app.name')).toBe('AI Studio');
  });

  it('labels every setting on the settings page in words, in named sections, the limits included', async () => {
    // A row saved before the limits had their own section keeps its old category; the registry decides.
    await upsertSetting(app.database.db, {
      key: 'auth.signup_ip_limit',
      value: '100',
      category: 'auth',
      isSecret: false,
      description: null,
      updatedBy: null,
    });
    const html = await (await get('/admin/settings', 'admin')).text();
    const labels = [...html.matchAll(/<label[^>]*>([^<]+)</g)].map((m) => m[1]!.trim());
    expect(labels.filter((l) => SETTING_KEY.test(l))).toEqual([]);
    const sections = [...html.matchAll(/<h2 id="settings-([a-z_]+)-heading"/g)].map((m) => m[1]!);
    expect(sections.filter((c) => !(c in SETTING_CATEGORIES))).toEqual([]);
    expect(sections).toContain('limits');
    expect(labels).toEqual(
      expect.arrayContaining([
        'Failed sign-ins allowed per IP address (15 minutes)',
        'Sign-ups allowed per IP address (15 minutes)',
        'Answers streaming at once, per person',
        'Chat messages and comparisons per minute, per person',
      ]),
    );
  });

  it('chooses the default chat model from a list of the active chat models, refusing anything else', async () => {
    const model = await app.services.models.create(sys(), {
      provider: 'openai-compatible',
      modelId: 'district-default',
      displayName: 'District default model',
      baseUrl: 'http://127.0.0.1:9/v1',
    });
    const html = await (await get('/admin/settings', 'admin')).text();
    const start = html.indexOf('Default model for new chats');
    const field = html.slice(start, html.indexOf('</form>', start));
    expect(field).toMatch(/<select[^>]*name="value"/);
    expect(field).not.toMatch(/<input[^>]*name="value"/);
    expect(field).toContain(`<option value="${model.id}">District default model</option>`);
    const save = (value: string) =>
      post('/admin/settings', 'admin', { intent: 'save', key: 'chat.default_model', value });
    const refused = await save('gpt-4o');
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain(
      'must be one of the listed models (they are added in Admin → Models)',
    );
    expect((await save(model.id)).status).toBe(200);
    expect(await app.services.settings.get(sys(), 'chat.default_model')).toBe(model.id);
    await post('/admin/settings', 'admin', { intent: 'reset', key: 'chat.default_model' });
    await app.services.models.remove(sys(), model.id);
  });

  it('chooses the decision search embedding model from the embedding models by name', async () => {
    const model = await app.services.models.create(sys(), {
      provider: 'openai-compatible',
      modelId: 'district-embedder',
      displayName: 'District embedder',
      kind: 'embedding',
      dimensions: 768,
      baseUrl: 'http://127.0.0.1:9/v1',
    });
    const html = await (await get('/admin/settings', 'admin')).text();
    const start = html.indexOf('Decision search embedding model');
    const field = html.slice(start, html.indexOf('</form>', start));
    expect(field).toMatch(/<option value=""( selected="")?>The built-in lexical embedder<\/option>/);
    expect(field).toContain(`<option value="${model.id}">District embedder</option>`);
    const save = (value: string) =>
      post('/admin/settings', 'admin', { intent: 'save', key: 'decisions.embedding_model', value });
    expect((await save('text-embedding-3-small')).status).toBe(422);
    expect((await save(model.id)).status).toBe(200);
    await post('/admin/settings', 'admin', { intent: 'reset', key: 'decisions.embedding_model' });
    await app.services.models.remove(sys(), model.id);
  });

  it('saves a sign-in limit from the settings page, refusing what is not a whole number in range', async () => {
    const save = (value: string) =>
      post('/admin/settings', 'admin', { intent: 'save', key: 'auth.signin_ip_limit', value });
    for (const value of ['lots', '0', '2000000']) {
      const res = await save(value);
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('must be a whole number from 1 to 1,000,000');
    }
    expect((await save('600')).status).toBe(200);
    expect(await app.services.settings.get(sys(), 'auth.signin_ip_limit')).toBe('600');
    await post('/admin/settings', 'admin', { intent: 'reset', key: 'auth.signin_ip_limit' });
    expect(await app.services.settings.get(sys(), 'auth.signin_ip_limit')).toBe('300');
  });

  it('saves the sign-up policy and refuses an unknown default role', async () => {
    const res = await post('/admin/auth?index', 'admin', {
      intent: 'policy',
      signupDomains: 'lakeside.example\n@district.example',
      defaultRole: 'student',
    });
    expect(res.status).toBe(200);
    expect(await app.services.auth.signupPolicy(sys())).toEqual({
      signupEnabled: false,
      signupDomains: ['lakeside.example', 'district.example'],
      defaultRole: 'student',
    });
    const bad = await post('/admin/auth?index', 'admin', {
      intent: 'policy',
      signupEnabled: 'on',
      defaultRole: 'wizard',
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('unknown role wizard');
  });

  it('adds an SSO provider with a write-only secret and a group mapping', async () => {
    const res = await post('/admin/auth/sso/new', 'admin', {
      type: 'google',
      slug: 'google',
      displayName: 'Google Workspace',
      clientId: 'client-123',
      clientSecret: 'google-secret-abcdef',
      allowedDomains: 'lakeside.example',
      groupRoles: 'teachers = staff',
      enabled: 'on',
    });
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/admin\/auth\/sso\/[0-9a-f-]{36}\?created=1$/);
    const page = await (await get(location, 'admin')).text();
    expect(page).toContain('Google Workspace');
    expect(page).not.toContain('google-secret-abcdef');
    const [provider] = await app.services.sso.list(sys());
    expect(provider!.groupRoles).toEqual({ teachers: 'staff' });
    const badMap = await post(location.split('?')[0]!, 'admin', {
      displayName: 'G',
      clientId: 'c',
      groupRoles: 'nonsense',
    });
    expect(badMap.status).toBe(422);
  });
});
