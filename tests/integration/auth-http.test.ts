/**
 * Identity over real HTTP: sign-up/sign-in/sign-out pages, cookie flags, CSRF, 401/403 JSON, throttling
 * without account enumeration, redirects to sign-in with a safe `next`, self-service sessions.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ web: true });
});
afterAll(() => app?.close());

const cookieOf = (res: Response) => /aistudio_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];

function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return app.fetch(path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.url, ...headers },
    body: new URLSearchParams(fields),
  });
}

const alertText = (html: string) =>
  /role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1]?.replace(/<[^>]+>/g, '');

let adminCookie = '';

describe('sign-up and sign-in pages', () => {
  it('signs up the first account as administrator with a HttpOnly, SameSite=Lax, non-Secure cookie', async () => {
    const res = await post('/auth/signup', {
      email: 'admin@example.org',
      password: 'admin password 1',
      name: 'Ada',
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/chat');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^aistudio_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=2592000$/,
    );
    expect(setCookie).not.toContain('Secure');
    adminCookie = `aistudio_session=${cookieOf(res)}`;
    const session = await app.fetch('/api/auth/session', { headers: { cookie: adminCookie } });
    expect(session.status).toBe(200);
    const body = await session.json();
    expect(body.user).toMatchObject({
      email: 'admin@example.org',
      name: 'Ada',
      roles: [{ name: 'administrator' }],
    });
    expect(body.capabilities).toContain('admin:users');
  });

  it('shows field errors from the password policy', async () => {
    const res = await post('/auth/signup', { email: 'b@example.org', password: 'short' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('must be at least 10 characters');
    expect(html).toMatch(/aria-invalid="true"[^>]*name="password"|name="password"[^>]*aria-invalid="true"/);
  });

  it('answers 401 JSON to anonymous API calls', async () => {
    const res = await app.fetch('/api/auth/session');
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized:auth');
  });

  it('redirects to a same-origin next only', async () => {
    await post('/auth/signup', { email: 'staff@example.org', password: 'staff password 1' });
    const ok = await post('/auth/signin', {
      email: 'staff@example.org',
      password: 'staff password 1',
      next: '/chat?x=1',
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('/chat?x=1');
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const res = await post('/auth/signin', {
        email: 'staff@example.org',
        password: 'staff password 1',
        next,
      });
      expect(res.headers.get('location')).toBe('/chat');
    }
  });

  it('sends anonymous visitors of app pages to sign-in with next, and lets public pages through', async () => {
    const res = await app.fetch('/admin/users?page=2', { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/auth/signin?next=%2Fadmin%2Fusers%3Fpage%3D2');
    expect((await app.fetch('/', { redirect: 'manual' })).status).toBe(200);
    const signin = await app.fetch('/auth/signin');
    expect(signin.status).toBe(200);
    const html = await signin.text();
    expect(html).toMatch(/<form[^>]*method="post"/);
    expect(html).toContain('name="email"');
    expect(html).toContain('name="password"');
  });

  it('backs off after wrong passwords with 429 + Retry-After, identically for an unknown e-mail', async () => {
    const attempt = (email: string) => post('/auth/signin', { email, password: 'not the password' });
    // The clock stands still (Date only), so the backoff cannot run out between slow attempts.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    for (let i = 1; i <= 7; i++) {
      const [known, unknown] = [await attempt('staff@example.org'), await attempt('nobody@example.org')];
      expect(known.status).toBe(unknown.status);
      expect(known.status).toBe(i <= 6 ? 401 : 429);
      expect(alertText(await known.text())).toBe(alertText(await unknown.text()));
      if (i === 7) {
        expect(Number(known.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(Number(unknown.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    const right = await post('/auth/signin', { email: 'staff@example.org', password: 'staff password 1' });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });

  it('answers sign-up the same for a new and an already registered address, without signing in', async () => {
    const taken = await post('/auth/signup', { email: 'admin@example.org', password: 'guessing game 77' });
    const fresh = await post('/auth/signup', { email: 'newbie@example.org', password: 'guessing game 77' });
    for (const res of [taken, fresh]) {
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/auth/signin?signedup=1');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    const page = await app.fetch('/auth/signin?signedup=1');
    expect(await page.text()).toContain('If this address can be used, its account is ready');
    const weak = await post('/auth/signup', { email: 'weak@example.org', password: 'qwertyuiop' });
    expect(weak.status).toBe(422);
    expect(await weak.text()).toContain('too easy to guess');
  });
});

describe('CSRF', () => {
  const body = JSON.stringify({ currentPassword: 'x', newPassword: 'y' });
  it('refuses cookie-authenticated unsafe requests from a foreign Origin or Referer', async () => {
    const foreign: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { referer: 'https://evil.example/page' },
      { origin: 'null' },
    ];
    for (const headers of foreign) {
      const res = await app.fetch('/api/me/password', {
        method: 'POST',
        headers: { cookie: adminCookie, 'content-type': 'application/json', ...headers },
        body,
      });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('forbidden:csrf');
    }
    // Remix routes too (a foreign form posting sign-out or sign-in).
    const signout = await post('/auth/signout', {}, { cookie: adminCookie, origin: 'https://evil.example' });
    expect(signout.status).toBe(403);
    expect((await signout.json()).error.code).toBe('forbidden:csrf');
    const loginCsrf = await post(
      '/auth/signin',
      { email: 'a@b.c', password: 'x' },
      { origin: 'https://evil.example' },
    );
    expect(loginCsrf.status).toBe(403);
  });

  it('accepts our own origin', async () => {
    const res = await app.fetch('/api/me/password', {
      method: 'POST',
      headers: { cookie: adminCookie, 'content-type': 'application/json', origin: app.url },
      body,
    });
    expect(res.status).toBe(422); // reached validation: the new password is too short
    expect((await res.json()).error.details.fields.newPassword).toBeTruthy();
  });
});

describe('sessions', () => {
  it('lists and revokes my sessions, signs out with POST only', async () => {
    const other = await post('/auth/signin', { email: 'admin@example.org', password: 'admin password 1' });
    const otherCookie = `aistudio_session=${cookieOf(other)}`;
    const list = await (await app.fetch('/api/me/sessions', { headers: { cookie: adminCookie } })).json();
    expect(list.items).toHaveLength(2);
    const current = list.items.find((s: { current: boolean }) => s.current);
    const notCurrent = list.items.find((s: { current: boolean }) => !s.current);
    expect(current).toBeTruthy();
    const del = await app.fetch(`/api/me/sessions/${notCurrent.id}`, {
      method: 'DELETE',
      headers: { cookie: adminCookie, origin: app.url },
    });
    expect(del.status).toBe(204);
    const dead = await app.fetch('/api/auth/session', { headers: { cookie: otherCookie } });
    expect(dead.status).toBe(401);
    // A dead cookie is cleared.
    expect(dead.headers.get('set-cookie')).toMatch(/^aistudio_session=; .*Max-Age=0/);

    const get = await app.fetch('/auth/signout', { headers: { cookie: adminCookie }, redirect: 'manual' });
    expect(get.status).toBe(200); // a page with a button, not a sign-out
    expect((await app.fetch('/api/auth/session', { headers: { cookie: adminCookie } })).status).toBe(200);
    const out = await post('/auth/signout', {}, { cookie: adminCookie });
    expect(out.status).toBe(302);
    expect(out.headers.get('set-cookie')).toMatch(/^aistudio_session=; .*Max-Age=0/);
    expect((await app.fetch('/api/auth/session', { headers: { cookie: adminCookie } })).status).toBe(401);
  });
});

describe('Secure cookies', () => {
  it('marks the cookie Secure when APP_URL is https', async () => {
    const https = await startTestApp({ env: { APP_URL: 'https://ai.example.org' } });
    try {
      const { session } = await https.services.auth.signUp(https.services.systemCtx(), {
        email: 'x@example.org',
        password: 'secure password 1',
      });
      expect(session.cookie).toMatch(/; HttpOnly; SameSite=Lax; Max-Age=2592000; Secure$/);
    } finally {
      await https.close();
    }
  });
});
