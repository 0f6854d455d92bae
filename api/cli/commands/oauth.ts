import { createCtx, systemActor } from '../../lib/ctx';
import type { Command, FlagValue } from '../command';
import { UsageError } from '../command';

const list = (value: FlagValue): string[] =>
  value === undefined || typeof value === 'boolean' ? [] : [value].flat();

/**
 * `oauth-clients:create --name NAME --redirect-uri URI [--redirect-uri URI…] --scopes "a b c" [--public]
 * [--service-user EMAIL]` prints exactly one JSON object on stdout: `{"client_id":"…","client_secret":"…"}`
 * (no client_secret for a public client). The secret is shown this once.
 */
export const oauthClientsCreate: Command = {
  name: 'oauth-clients:create',
  summary: 'Register an OAuth client; prints {"client_id","client_secret"} as JSON (secret shown once)',
  flags: {
    name: { type: 'string', description: 'The name people see on the consent page', required: true },
    'redirect-uri': {
      type: 'string',
      description: 'A redirect URI (repeat the flag for several)',
      required: true,
      multiple: true,
    },
    scopes: {
      type: 'string',
      description: 'Space-separated scopes, e.g. "openid profile mcp:read"',
      required: true,
    },
    public: { type: 'boolean', description: 'A public client (PKCE only, no secret)' },
    'service-user': {
      type: 'string',
      description: 'E-mail of the user a client_credentials token acts as (confidential clients)',
    },
  },
  needsDatabase: true,
  async run({ flags, runtime }) {
    const scopes = String(flags.scopes)
      .split(/[\s,]+/)
      .filter(Boolean);
    if (scopes.length === 0) throw new UsageError('--scopes needs at least one scope');
    const { services } = runtime;
    const ctx = createCtx({ db: services.database.db, log: services.log, actor: systemActor('cli') });
    const { client, secret } = await services.oauthClients.create(ctx, {
      name: String(flags.name),
      redirectUris: list(flags['redirect-uri']),
      scopes,
      public: flags.public === true,
      serviceUserEmail: typeof flags['service-user'] === 'string' ? flags['service-user'] : undefined,
    });
    // Deliberately not io.result: one JSON object alone, so scripts can parse stdout as it is.
    const out = secret === null ? { client_id: client.id } : { client_id: client.id, client_secret: secret };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  },
};

export const oauthClientsList: Command = {
  name: 'oauth-clients:list',
  summary: 'List OAuth clients (registered and dynamic), never their secrets',
  needsDatabase: true,
  async run({ io, runtime }) {
    const { services } = runtime;
    const ctx = createCtx({ db: services.database.db, log: services.log, actor: systemActor('cli') });
    const clients = await services.oauthClients.list(ctx);
    io.table(
      clients.map((c) => ({
        client_id: c.id,
        name: c.name,
        type: c.public ? 'public' : 'confidential',
        dynamic: c.dynamic,
        status: c.status,
        scopes: c.scopes.join(' '),
        redirect_uris: c.redirectUris.join(' '),
        last_used: c.lastUsedAt ?? '',
      })),
    );
  },
};

export const oauthKeysRotate: Command = {
  name: 'oauth-keys:rotate',
  summary: 'Add a new token signing key; the old ones keep verifying until their tokens have expired',
  needsDatabase: true,
  async run({ io, runtime }) {
    const result = await runtime.services.oauthKeys.rotate();
    io.result(
      result,
      () =>
        `New signing key ${result.kid}; retired ${result.retired.join(', ') || 'none'} (still published for an hour)`,
    );
  },
};
