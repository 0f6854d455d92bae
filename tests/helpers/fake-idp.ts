/**
 * A fake OpenID Connect identity provider over real HTTP for SSO tests: discovery, JWKS (a generated RSA
 * key), /authorize (signs in `nextUser` at once and redirects back with a code), /token (checks client
 * credentials — basic or post —, redirect_uri and the PKCE verifier, then returns an ID token).
 * `misbehave()` makes the next tokens wrong in one way (wrong key, nonce, audience, issuer, expired …).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export interface FakeUser {
  sub: string;
  email?: string;
  email_verified?: boolean | string;
  name?: string;
  [claim: string]: unknown;
}

export interface Misbehaviour {
  /** Sign with a key that is not in the JWKS (same kid). */
  wrongKey?: boolean;
  wrongNonce?: boolean;
  wrongAudience?: boolean;
  wrongIssuer?: boolean;
  expired?: boolean;
  /** Sign with HS256 using the client secret (must be refused: not in the algorithm allow-list). */
  symmetric?: boolean;
  /** Answer the token request with this OAuth error instead. */
  tokenError?: string;
}

export interface AuthorizeRecord {
  params: Record<string, string>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  method: string;
  nonce: string | undefined;
  user: FakeUser;
}

export interface FakeIdpOptions {
  clientId?: string;
  clientSecret?: string;
  user?: FakeUser;
  /** Serve https with this key pair (arctic's Cognito, Google and Entra clients only speak https). */
  tls?: { key: string; cert: string };
  /** Amazon Cognito's layout: issuer `<origin>/<pool id>`, JWKS at `<issuer>/.well-known/jwks.json`, the
   *  hosted UI at `<origin>/oauth2/authorize` and `/oauth2/token`. */
  cognito?: { poolId: string };
}

export interface FakeIdp {
  issuer: string;
  /** host:port, as arctic's AmazonCognito expects its domain. */
  host: string;
  clientId: string;
  clientSecret: string;
  /** Who the next /authorize signs in. */
  nextUser: FakeUser;
  misbehave(m: Misbehaviour): void;
  reset(): void;
  /** Signs arbitrary claims with the published key (for verifier tests that bypass the flow). */
  sign(claims: Record<string, unknown>): Promise<string>;
  authorizeRequests: AuthorizeRecord[];
  tokenRequests: { auth: 'basic' | 'post' | 'none'; params: Record<string, string> }[];
  close(): Promise<void>;
}

const b64url = (buf: Buffer) => buf.toString('base64url');

export async function startFakeIdp(options: FakeIdpOptions = {}): Promise<FakeIdp> {
  const clientId = options.clientId ?? 'ai-studio-test';
  const clientSecret = options.clientSecret ?? `secret-${randomBytes(8).toString('hex')}`;
  const kid = 'fake-key-1';
  const good = await generateKeyPair('RS256', { extractable: true });
  const rogue = await generateKeyPair('RS256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(good.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, PendingCode>();
  const defaultUser: FakeUser = options.user ?? {
    sub: 'user-1',
    email: 'ada@school.example',
    email_verified: true,
    name: 'Ada Lovelace',
  };
  let misbehaviour: Misbehaviour = {};

  const issuerPath = options.cognito ? `/${options.cognito.poolId}` : '';
  const paths = options.cognito
    ? { authorize: '/oauth2/authorize', token: '/oauth2/token', jwks: `${issuerPath}/.well-known/jwks.json` }
    : { authorize: '/authorize', token: '/token', jwks: '/jwks' };
  const app = new Hono();
  const state = {
    origin: '',
    issuer: '',
    nextUser: { ...defaultUser },
    authorizeRequests: [] as AuthorizeRecord[],
    tokenRequests: [] as FakeIdp['tokenRequests'],
  };

  app.get(`${issuerPath}/.well-known/openid-configuration`, (c) =>
    c.json({
      issuer: state.issuer,
      authorization_endpoint: `${state.origin}${paths.authorize}`,
      token_endpoint: `${state.origin}${paths.token}`,
      jwks_uri: `${state.origin}${paths.jwks}`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    }),
  );

  app.get(paths.jwks, (c) => c.json({ keys: [publicJwk] }));

  app.get(paths.authorize, (c) => {
    const params = Object.fromEntries(new URL(c.req.url).searchParams);
    state.authorizeRequests.push({ params });
    const redirect = params.redirect_uri;
    if (params.client_id !== clientId || !redirect) return c.text('unknown client or redirect_uri', 400);
    const back = new URL(redirect);
    if (
      params.response_type !== 'code' ||
      !params.code_challenge ||
      params.code_challenge_method !== 'S256'
    ) {
      back.searchParams.set('error', 'invalid_request');
    } else {
      const code = b64url(randomBytes(16));
      codes.set(code, {
        clientId,
        redirectUri: redirect,
        challenge: params.code_challenge,
        method: params.code_challenge_method,
        nonce: params.nonce,
        user: { ...state.nextUser },
      });
      back.searchParams.set('code', code);
    }
    if (params.state) back.searchParams.set('state', params.state);
    return c.redirect(back.toString(), 302);
  });

  app.post(paths.token, async (c) => {
    const params = Object.fromEntries(new URLSearchParams(await c.req.text()));
    const basic = c.req.header('authorization');
    let auth: 'basic' | 'post' | 'none' = 'none';
    let id = params.client_id;
    let secret = params.client_secret;
    if (basic?.startsWith('Basic ')) {
      auth = 'basic';
      const decoded = Buffer.from(basic.slice(6), 'base64').toString('utf8');
      id = decoded.slice(0, decoded.indexOf(':'));
      secret = decoded.slice(decoded.indexOf(':') + 1);
    } else if (secret) auth = 'post';
    state.tokenRequests.push({ auth, params });
    if (id !== clientId || secret !== clientSecret) return c.json({ error: 'invalid_client' }, 401);
    if (misbehaviour.tokenError) return c.json({ error: misbehaviour.tokenError }, 400);
    const pending = codes.get(params.code ?? '');
    codes.delete(params.code ?? ''); // single use
    if (params.grant_type !== 'authorization_code' || !pending || pending.redirectUri !== params.redirect_uri)
      return c.json({ error: 'invalid_grant' }, 400);
    const verifier = params.code_verifier ?? '';
    if (b64url(createHash('sha256').update(verifier).digest()) !== pending.challenge)
      return c.json({ error: 'invalid_grant', error_description: 'PKCE verification failed' }, 400);

    const m = misbehaviour;
    const now = Math.floor(Date.now() / 1000);
    const { sub, ...claims } = pending.user;
    const jwt = new SignJWT({
      ...claims,
      nonce: m.wrongNonce ? 'not-the-nonce' : pending.nonce,
    })
      .setProtectedHeader(m.symmetric ? { alg: 'HS256', kid } : { alg: 'RS256', kid, typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(m.wrongIssuer ? `${state.issuer}/other` : state.issuer)
      .setAudience(m.wrongAudience ? 'someone-else' : clientId)
      .setIssuedAt(m.expired ? now - 7200 : now)
      .setExpirationTime(m.expired ? now - 3600 : now + 600);
    const key = m.symmetric
      ? new TextEncoder().encode(clientSecret)
      : m.wrongKey
        ? rogue.privateKey
        : good.privateKey;
    const idToken = await jwt.sign(key);
    return c.json({
      access_token: b64url(randomBytes(24)),
      token_type: 'Bearer',
      expires_in: 600,
      id_token: idToken,
    });
  });

  const server = options.tls
    ? serve({
        fetch: app.fetch,
        port: 0,
        hostname: '127.0.0.1',
        createServer: createHttpsServer,
        serverOptions: options.tls,
      })
    : serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  state.origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  state.issuer = `${state.origin}${issuerPath}`;

  return {
    get issuer() {
      return state.issuer;
    },
    host: `127.0.0.1:${port}`,
    clientId,
    clientSecret,
    get nextUser() {
      return state.nextUser;
    },
    set nextUser(user: FakeUser) {
      state.nextUser = user;
    },
    misbehave(m) {
      misbehaviour = m;
    },
    reset() {
      misbehaviour = {};
      state.nextUser = { ...defaultUser };
      state.authorizeRequests.length = 0;
      state.tokenRequests.length = 0;
    },
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(good.privateKey),
    authorizeRequests: state.authorizeRequests,
    tokenRequests: state.tokenRequests,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}
