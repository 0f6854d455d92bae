/**
 * The authorization walk: every route the /api router serves × each seeded role (+ anonymous).
 * A route without a check fails here: anonymous must get 401 everywhere except the explicit public list,
 * and /api/admin/* must answer 403 to staff and students. Undocumented /api routes must be on the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRouter } from '../../api/app';
import { createCtx, systemActor } from '../../api/lib/ctx';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Routes anyone may call. Keep this short and justified. */
const PUBLIC = [
  'GET /api/health', // liveness probe
  'GET /api/ready', // readiness probe
  'GET /api/openapi.json', // the public contract
  'GET /api/docs', // API reference page and its assets
  'GET /api/docs/init.js',
  'GET /api/docs/assets/:file',
  'GET /api/v1/health', // public API liveness (issue 5)
  // The look of every page, the sign-in page included (issue 15.6): no data beyond the admin's logo and colour.
  'GET /api/branding/logo',
  'GET /api/branding/theme.css',
  // The OAuth provider (issue 11): clients authenticate themselves (RFC 6749 §2.3) or present tokens.
  'GET /api/oauth/jwks',
  'GET /api/oauth/authorize',
  'POST /api/oauth/token',
  'GET /api/oauth/userinfo',
  'POST /api/oauth/userinfo',
  'POST /api/oauth/revoke',
  'POST /api/oauth/introspect',
  'POST /api/oauth/register',
  'GET /api/oauth/register/:clientId',
];
/** Undocumented routes (not in OpenAPI) that are not public: each must still refuse anonymous calls. */
const UNDOCUMENTED_GUARDED: string[] = [];

const ROLES = ['administrator', 'staff', 'student'] as const;
type Who = (typeof ROLES)[number] | 'anonymous';

interface RouteRef {
  method: string;
  path: string; // Hono style, :param
}

let app: TestApp;
const cookies: Partial<Record<Who, string>> = {};
let routes: RouteRef[] = [];

function concrete(path: string): string {
  return path.replace(/:[^/]+|\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
}

beforeAll(async () => {
  app = await startTestApp();
  const ctx = createCtx({ db: app.database.db, log: app.log, actor: systemActor('cli') });
  for (const role of ROLES) {
    const user = await app.services.users.create(ctx, { email: `${role}@example.org`, roles: [role] });
    const { token } = await app.services.auth.createSession(ctx, user.id);
    cookies[role] = `aistudio_session=${token}`;
  }
  const api = createApiRouter(app.services);
  const documented = api.openAPIRegistry.definitions.flatMap((d) =>
    d.type === 'route'
      ? [{ method: d.route.method.toUpperCase(), path: `/api${d.route.path}`.replace(/\{([^}]+)\}/g, ':$1') }]
      : [],
  );
  const served = api.routes
    .filter((r) => r.method !== 'ALL' && !r.path.endsWith('*'))
    .map((r) => ({ method: r.method, path: r.path }));
  const key = (r: RouteRef) => `${r.method} ${r.path}`;
  const undocumented = [...new Map(served.map((r) => [key(r), r])).values()].filter(
    (r) => !documented.some((d) => key(d) === key(r)),
  );
  const unknown = undocumented.filter(
    (r) => !PUBLIC.includes(key(r)) && !UNDOCUMENTED_GUARDED.includes(key(r)),
  );
  expect(unknown.map(key), 'undocumented /api routes must be documented or listed here').toEqual([]);
  // Route middleware registers the same method + path more than once: keep one of each.
  routes = [...new Map([...documented, ...undocumented].map((r) => [key(r), r])).values()];
}, 120_000);
afterAll(() => app?.close());

async function call(route: RouteRef, who: Who): Promise<Response> {
  const headers: Record<string, string> = { origin: app.url, 'content-type': 'application/json' };
  if (who !== 'anonymous') headers.cookie = cookies[who]!;
  const unsafe = !['GET', 'HEAD'].includes(route.method);
  return app.fetch(concrete(route.path), { method: route.method, headers, body: unsafe ? '{}' : undefined });
}

describe('authorization walk', () => {
  it('finds the identity routes in the registry', () => {
    const paths = routes.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining(['GET /api/admin/users', 'PATCH /api/admin/users/:id', 'GET /api/auth/session']),
    );
    expect(routes.length).toBeGreaterThan(20);
  });

  it('refuses anonymous callers on every non-public route (401)', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      if (PUBLIC.includes(`${route.method} ${route.path}`)) continue;
      const res = await call(route, 'anonymous');
      if (res.status !== 401) failures.push(`${route.method} ${route.path} → ${res.status}`);
      else expect((await res.json()).error.code).toBe('unauthorized:auth');
    }
    expect(failures).toEqual([]);
  });

  it('refuses staff and students on every admin route (403), and lets the administrator past the check', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.path.startsWith('/api/admin'))) {
      for (const who of ['staff', 'student'] as const) {
        const res = await call(route, who);
        if (res.status !== 403) failures.push(`${who} ${route.method} ${route.path} → ${res.status}`);
        else expect((await res.json()).error.code).toMatch(/^forbidden:/);
      }
      const admin = await call(route, 'administrator');
      if ([401, 403].includes(admin.status))
        failures.push(`administrator ${route.method} ${route.path} → ${admin.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('lets every signed-in role reach its own session endpoints', async () => {
    for (const who of ROLES) {
      const res = await call({ method: 'GET', path: '/api/auth/session' }, who);
      expect(res.status).toBe(200);
    }
  });
});
