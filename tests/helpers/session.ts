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
