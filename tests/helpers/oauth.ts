/**
 * OAuth test helpers: clients registered through the service, a signed-in person, and the authorization
 * step without a browser — GET /api/oauth/authorize with the person's cookie; when that asks for consent,
 * the consent page's own service call (`decide`) approves, exactly as the page's Allow button does.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/**
 * The client's side of a loopback redirect (RFC 8252 §7.3): a tiny HTTP server on 127.0.0.1 that answers
 * with a short page and hands each URL requested on /callback to whoever waits in `next()` (anything else,
 * such as the browser's /favicon.ico, gets an empty 204).
 */
export interface LoopbackCallback {
  /** `http://127.0.0.1:<port>/callback` */
  redirectUri: string;
  /** The next URL the browser brings (already received or yet to come). */
  next(): Promise<URL>;
  close(): Promise<void>;
}

export async function startLoopbackCallback(): Promise<LoopbackCallback> {
  const received: URL[] = [];
  const waiting: ((url: URL) => void)[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname !== '/callback') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Signed in</title><p>You can close this window.</p>');
    const waiter = waiting.shift();
    if (waiter) waiter(url);
    else received.push(url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    next: () => {
      const ready = received.shift();
      return ready ? Promise.resolve(ready) : new Promise<URL>((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
