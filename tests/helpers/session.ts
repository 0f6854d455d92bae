import type { TestApp } from './test-app';

/** The session cookie of a new local account (the first one becomes administrator), as name and value. */
export async function signUpCookie(
  app: Pick<TestApp, 'services'>,
  email = `user-${Date.now()}@district.example`,
): Promise<{ name: string; value: string }> {
  const { session } = await app.services.auth.signUp(app.services.systemCtx(), {
    email,
    password: 'Correct-horse-battery-staple-42',
    name: 'Test User',
  });
  const pair = session.cookie.split(';')[0]!;
  const eq = pair.indexOf('=');
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
}

export type SeededRole = 'administrator' | 'staff' | 'student';
const SEEDED_ROLES: readonly SeededRole[] = ['administrator', 'staff', 'student'];

/** One signed-in person per seeded role (`<role>@lakeside.example`): their ids and session cookie headers. */
export async function usersForEachRole(
  app: Pick<TestApp, 'services'>,
): Promise<{ ids: Record<SeededRole, string>; cookies: Record<SeededRole, string> }> {
  const ctx = app.services.systemCtx();
  const ids = {} as Record<SeededRole, string>;
  const cookies = {} as Record<SeededRole, string>;
  for (const role of SEEDED_ROLES) {
    const user = await app.services.users.create(ctx, {
      email: `${role}@lakeside.example`,
      name: `The ${role}`,
      password: 'Correct-horse-battery-staple-42',
      roles: [role],
    });
    ids[role] = user.id;
    cookies[role] = `aistudio_session=${(await app.services.auth.createSession(ctx, user.id)).token}`;
  }
  return { ids, cookies };
}

/** Document requests as a browser without JavaScript sends them: GET, and form POSTs, never following redirects. */
export function documentClient<Who extends string>(
  app: Pick<TestApp, 'fetch'>,
  cookies: Record<Who, string>,
) {
  return {
    get: (path: string, who: Who) =>
      app.fetch(path, { headers: { cookie: cookies[who] }, redirect: 'manual' }),
    post(path: string, who: Who, fields: Record<string, string | string[]>) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
      return app.fetch(path, { method: 'POST', body, headers: { cookie: cookies[who] }, redirect: 'manual' });
    },
  };
}
