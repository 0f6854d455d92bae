/**
 * A fake ECS container credentials endpoint over real HTTP: each GET of `path` issues fresh temporary
 * credentials (access key id, secret, session token, Expiration) and registers them with a fake S3, so
 * only credentials it handed out work there. With `authorizationToken`, requests must send it as the
 * Authorization header (AWS_CONTAINER_AUTHORIZATION_TOKEN), else 401.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeCredentials, FakeS3 } from './fake-s3';

export interface FakeContainerCredentials {
  /** http://127.0.0.1:<port> (the stand-in for http://169.254.170.2). */
  base: string;
  path: string;
  issued: (FakeCredentials & { expiration: string })[];
  /** Authorization headers received, in order. */
  authorizations: (string | null)[];
  /** How long issued credentials live (changeable between requests). */
  expiresInMs: number;
  close(): Promise<void>;
}

export async function startFakeContainerCredentials(options: {
  s3: FakeS3;
  path?: string;
  authorizationToken?: string;
  expiresInMs?: number;
  now?: () => number;
}): Promise<FakeContainerCredentials> {
  const now = options.now ?? Date.now;
  const state: FakeContainerCredentials = {
    base: '',
    path: options.path ?? '/v2/credentials/8d7c1e4f-task-role',
    issued: [],
    authorizations: [],
    expiresInMs: options.expiresInMs ?? 6 * 3_600_000,
    close: async () => {},
  };
  const server = createServer((req, res) => {
    state.authorizations.push(req.headers.authorization ?? null);
    if (req.method !== 'GET' || req.url !== state.path) return void res.writeHead(404).end();
    if (options.authorizationToken && req.headers.authorization !== options.authorizationToken)
      return void res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"message":"unauthorized"}');
    const n = state.issued.length + 1;
    const credentials = {
      accessKeyId: `ASIAFAKETASKROLE${n}`,
      secretAccessKey: `task-role-secret-${n}-${Math.random().toString(36).slice(2)}`,
      sessionToken: `task-role-session-token-${n}`,
      expiration: new Date(now() + state.expiresInMs).toISOString(),
    };
    state.issued.push(credentials);
    options.s3.allow(credentials);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        RoleArn: 'arn:aws:iam::123456789012:role/ai-studio-task',
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        Token: credentials.sessionToken,
        Expiration: credentials.expiration,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}
