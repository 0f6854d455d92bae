/**
 * OAuth test helpers: clients registered through the service, a signed-in person, and the authorization
 * step without a browser — GET /api/oauth/authorize with the person's cookie; when that asks for consent,
 * the consent page's own service call (`decide`) approves, exactly as the page's Allow button does.
 */
import type { Actor } from '../../api/lib/ctx';
import type { TestApp } from './test-app';

export interface Person {
  id: string;
  cookie: string;
  actor: Actor;
}

export async function signedInPerson(
  app: TestApp,
  email: string,
  roles: string[] = ['staff'],
): Promise<Person> {
  const ctx = app.services.systemCtx();
  const user = await app.services.users.create(ctx, {
    email,
    name: email.split('@')[0],
    password: 'Correct-horse-battery-staple-42',
    roles,
  });
  const session = await app.services.auth.createSession(ctx, user.id);
  const actor = (await app.services.users.actorFor(app.database.db, user.id, {
    sessionId: session.sessionId,
  }))!;
  return { id: user.id, cookie: `aistudio_session=${session.token}`, actor };
}

export async function registerClient(
  app: TestApp,
  input: {
    name?: string;
    redirectUris: string[];
    scopes: string[];
    public?: boolean;
    serviceUserEmail?: string;
  },
): Promise<{ clientId: string; secret: string | null }> {
  const { client, secret } = await app.services.oauthClients.create(app.services.systemCtx(), {
    name: input.name ?? 'Test app',
    redirectUris: input.redirectUris,
    scopes: input.scopes,
    public: input.public ?? false,
    serviceUserEmail: input.serviceUserEmail,
  });
  return { clientId: client.id, secret };
}

/** Follows the authorization endpoint for `person` and returns where the browser would land. */
export async function authorizeAs(app: TestApp, person: Person, url: URL): Promise<URL> {
  const res = await fetch(url, { headers: { cookie: person.cookie }, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location)
    throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
  const target = new URL(location, app.url);
  if (target.origin === app.url && target.pathname === '/oauth/consent') {
    const ctx = { ...app.services.systemCtx(), actor: person.actor };
    return new URL(await app.services.oauth.decide(ctx, target.searchParams, true));
  }
  return target;
}
