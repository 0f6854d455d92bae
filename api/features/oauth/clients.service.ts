/**
 * OAuth clients: administration (register, edit, rotate the secret — shown once —, disable, approve), the
 * CLI, dynamic registration (RFC 7591, public clients limited to mcp:* and OIDC scopes, governed by the
 * `oauth.registration` setting), client authentication at the token, revocation and introspection endpoints
 * (client_secret_basic, client_secret_post, none), and the expiry of unused dynamic clients.
 */
import { z } from 'zod';
import { assertCan } from '../../lib/authz';
import { randomToken, safeEqual, sha256 } from '../../lib/crypto';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { parseInput } from '../../lib/validate';
import type { AuditService } from '../audit/audit.service';
import type { SettingsService } from '../settings/settings.service';
import type { UsersService } from '../users/users.service';
import {
  deleteUnusedDynamicClients,
  findClient,
  insertClient,
  listClients,
  type OAuthClientRow,
  touchClient,
  updateClient,
} from './clients.repo';
import {
  CreateClientInput,
  type OAuthClientView,
  REGISTRATION_MODES,
  type RegistrationMode,
  RegistrationRequest,
  toClientView,
  UpdateClientInput,
} from './clients.schemas';
import { countLiveGrants } from './grants.repo';
import {
  InvalidClient,
  InvalidClientMetadata,
  InvalidRedirectUri,
  InvalidRequest,
  InvalidToken,
  RegistrationClosed,
} from './oauth.errors';
import { DYNAMIC_CLIENT_SCOPES, parseScopeParam } from './oauth.scopes';
import { redirectUriProblem } from './redirect-uri';

export * from './clients.schemas';

const ADMIN = 'admin:settings';
const LAST_USED_WRITE_MS = 60_000;
/** Dynamic clients never used after a day, or idle for 30 days (with no live grant), are deleted. */
export const DYNAMIC_NEVER_USED_MS = 24 * 3600_000;
export const DYNAMIC_IDLE_MS = 30 * 24 * 3600_000;

const isUuid = (v: string) => z.uuid().safeParse(v).success;

export interface ClientCredentials {
  clientId: string | null;
  clientSecret: string | null;
  /** How the client presented itself (RFC 6749 §2.3.1). */
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

export interface RegisteredClient {
  client_id: string;
  client_id_issued_at: number;
  client_name: string;
  redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: 'none';
  scope: string;
  registration_client_uri: string;
  registration_access_token?: string;
}

/** Reads client credentials from a Basic header and/or the form (RFC 6749 §2.3.1); more than one method is refused. */
export function readClientCredentials(
  authorization: string | undefined,
  form: URLSearchParams,
): ClientCredentials {
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');
  const basic = /^Basic[ \t]+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (basic) {
    if (bodySecret !== null) throw new InvalidRequest('Use one client authentication method, not two');
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new InvalidClient('Malformed Basic credentials');
    let id: string;
    let secret: string;
    try {
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw new InvalidClient('Malformed Basic credentials');
    }
    if (bodyId !== null && bodyId !== id)
      throw new InvalidRequest('client_id does not match the credentials');
    return { clientId: id, clientSecret: secret, method: 'client_secret_basic' };
  }
  if (bodySecret !== null)
    return { clientId: bodyId, clientSecret: bodySecret, method: 'client_secret_post' };
  return { clientId: bodyId, clientSecret: null, method: 'none' };
}

export class OAuthClientsService {
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly deps: {
      audit: AuditService;
      settings: SettingsService;
      users: UsersService;
      appUrl: () => string;
    },
  ) {}

  // ——— lookup and authentication ———

  /** An active client by id, or undefined (unknown, disabled or pending). */
  async findActive(ctx: Ctx, clientId: string | null | undefined): Promise<OAuthClientRow | undefined> {
    if (!clientId || !isUuid(clientId)) return undefined;
    const client = await findClient(ctx.db, clientId);
    return client?.status === 'active' ? client : undefined;
  }

  /** A client by id whatever its status (the authorization endpoint explains a pending or disabled one). */
  async find(ctx: Ctx, clientId: string | null | undefined): Promise<OAuthClientRow | undefined> {
    if (!clientId || !isUuid(clientId)) return undefined;
    return findClient(ctx.db, clientId);
  }

  /** Client authentication at the token, revocation and introspection endpoints → `invalid_client` on failure. */
  async authenticate(ctx: Ctx, creds: ClientCredentials): Promise<OAuthClientRow> {
    if (!creds.clientId) throw new InvalidClient('Client authentication is required');
    const client = await this.findActive(ctx, creds.clientId);
    if (!client) throw new InvalidClient('Unknown or disabled client');
    if (client.isPublic) {
      if (creds.method !== 'none') throw new InvalidClient('A public client has no secret');
    } else {
      const secret = creds.clientSecret ?? '';
      if (creds.method === 'none' || !client.secretHash || !safeEqual(sha256(secret), client.secretHash))
        throw new InvalidClient('Client authentication failed');
    }
    this.touch(ctx, client.id);
    return client;
  }

  // ——— administration ———

  async list(ctx: Ctx): Promise<(OAuthClientView & { liveGrants: number })[]> {
    assertCan(ctx.actor, ADMIN);
    const rows = await listClients(ctx.db);
    const now = new Date();
    return Promise.all(
      rows.map(async (r) => ({ ...toClientView(r), liveGrants: await countLiveGrants(ctx.db, r.id, now) })),
    );
  }

  async get(ctx: Ctx, id: string): Promise<OAuthClientView> {
    assertCan(ctx.actor, ADMIN);
    return toClientView(await this.require(ctx, id));
  }

  async create(
    ctx: Ctx,
    input: z.input<typeof CreateClientInput>,
  ): Promise<{ client: OAuthClientView; secret: string | null }> {
    assertCan(ctx.actor, ADMIN);
    const data = parseInput(CreateClientInput, input, 'oauth_clients');
    const serviceUserId = await this.serviceUser(ctx, data.serviceUserEmail, data.public);
    const secret = data.public ? null : randomToken(32);
    const row = await ctx.db.transaction(async (tx) => {
      const created = await insertClient(tx, {
        name: data.name,
        isPublic: data.public,
        secretHash: secret ? sha256(secret) : null,
        redirectUris: data.redirectUris,
        scopes: data.scopes,
        serviceUserId,
        createdBy: ctx.actor.id,
      });
      await this.deps.audit.record(
        { ...ctx, db: tx },
        {
          action: 'oauth_clients.create',
          targetType: 'oauth_client',
          targetId: created.id,
          details: {
            name: created.name,
            public: created.isPublic,
            scopes: created.scopes,
            redirectUris: created.redirectUris,
          },
        },
      );
      return created;
    });
    return { client: toClientView(row), secret };
  }

  async update(ctx: Ctx, id: string, input: z.input<typeof UpdateClientInput>): Promise<OAuthClientView> {
    assertCan(ctx.actor, ADMIN);
    const data = parseInput(UpdateClientInput, input, 'oauth_clients');
    const client = await this.require(ctx, id);
    const patch: Parameters<typeof updateClient>[2] = {};
    if (data.name !== undefined) patch.name = data.name;
    if (data.redirectUris !== undefined) patch.redirectUris = data.redirectUris;
    if (data.scopes !== undefined) patch.scopes = data.scopes;
    if (data.status !== undefined) patch.status = data.status;
    if (data.serviceUserEmail !== undefined)
      patch.serviceUserId = await this.serviceUser(ctx, data.serviceUserEmail, client.isPublic);
    const row = await ctx.db.transaction(async (tx) => {
      const updated = await updateClient(tx, client.id, patch);
      await this.deps.audit.record(
        { ...ctx, db: tx },
        {
          action: 'oauth_clients.update',
          targetType: 'oauth_client',
          targetId: client.id,
          details: { ...data },
        },
      );
      return updated!;
    });
    return toClientView(row);
  }

  /** A new secret (shown once); the old one stops working at once. */
  async rotateSecret(ctx: Ctx, id: string): Promise<{ client: OAuthClientView; secret: string }> {
    assertCan(ctx.actor, ADMIN);
    const client = await this.require(ctx, id);
    if (client.isPublic) throw new AppError('conflict:oauth_clients', 'A public client has no secret');
    const secret = randomToken(32);
    const row = await ctx.db.transaction(async (tx) => {
      const updated = await updateClient(tx, client.id, {
        secretHash: sha256(secret),
        secretRotatedAt: new Date(),
      });
      await this.deps.audit.record(
        { ...ctx, db: tx },
        { action: 'oauth_clients.rotate_secret', targetType: 'oauth_client', targetId: client.id },
      );
      return updated!;
    });
    return { client: toClientView(row), secret };
  }

  /** Approves a pending dynamic registration (setting `approval`). */
  async approve(ctx: Ctx, id: string): Promise<OAuthClientView> {
    assertCan(ctx.actor, ADMIN);
    const client = await this.require(ctx, id);
    if (client.status !== 'pending')
      throw new AppError('conflict:oauth_clients', 'This client is not waiting for approval');
    return this.update(ctx, id, { status: 'active' });
  }

  async registrationMode(ctx: Ctx): Promise<RegistrationMode> {
    const value = (await this.deps.settings.get(ctx, 'oauth.registration')) ?? 'open';
    return (REGISTRATION_MODES as readonly string[]).includes(value) ? (value as RegistrationMode) : 'open';
  }

  async setRegistrationMode(ctx: Ctx, mode: string): Promise<RegistrationMode> {
    assertCan(ctx.actor, ADMIN);
    const value = parseInput(z.enum(REGISTRATION_MODES), mode, 'oauth_clients');
    await this.deps.settings.set(ctx, { key: 'oauth.registration', value });
    return value;
  }

  /** Deletes dynamic clients nobody came back to (job; peer lesson: orphan registrations pile up). */
  async expireUnusedDynamic(ctx: Ctx, now = new Date()): Promise<number> {
    assertCan(ctx.actor, ADMIN);
    const ids = await deleteUnusedDynamicClients(ctx.db, {
      neverUsedBefore: new Date(now.getTime() - DYNAMIC_NEVER_USED_MS),
      idleBefore: new Date(now.getTime() - DYNAMIC_IDLE_MS),
      now,
    });
    if (ids.length)
      await this.deps.audit.record(ctx, {
        action: 'oauth_clients.expire_dynamic',
        targetType: 'oauth_client',
        details: { count: ids.length, ids },
      });
    return ids.length;
  }

  // ——— RFC 7591 dynamic registration (anonymous) ———

  async register(ctx: Ctx, body: unknown): Promise<RegisteredClient> {
    const mode = await this.registrationMode(ctx);
    if (mode === 'off') throw new RegistrationClosed('Dynamic client registration is turned off here');
    const parsed = RegistrationRequest.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidClientMetadata(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    }
    const req = parsed.data;
    for (const uri of req.redirect_uris) {
      const problem = redirectUriProblem(uri);
      if (problem) throw new InvalidRedirectUri(problem);
    }
    const method = req.token_endpoint_auth_method ?? 'none';
    if (method !== 'none')
      throw new InvalidClientMetadata(
        'Dynamic registration creates public clients only (token_endpoint_auth_method "none", PKCE)',
      );
    const grantTypes = req.grant_types ?? ['authorization_code', 'refresh_token'];
    const badGrant = grantTypes.find((g) => g !== 'authorization_code' && g !== 'refresh_token');
    if (badGrant)
      throw new InvalidClientMetadata(`grant_types: ${badGrant} is not available to dynamic clients`);
    const responseTypes = req.response_types ?? ['code'];
    if (responseTypes.some((r) => r !== 'code'))
      throw new InvalidClientMetadata('response_types: only "code"');
    const scopes = req.scope ? parseScopeParam(req.scope) : [...DYNAMIC_CLIENT_SCOPES].sort();
    const denied = scopes.filter((s) => !DYNAMIC_CLIENT_SCOPES.includes(s));
    if (denied.length)
      throw new InvalidClientMetadata(
        `scope: dynamic clients may hold only ${DYNAMIC_CLIENT_SCOPES.join(' ')}`,
      );
    const registrationToken = randomToken(32);
    const row = await ctx.db.transaction(async (tx) => {
      const created = await insertClient(tx, {
        name: req.client_name || 'Unnamed MCP client',
        isPublic: true,
        redirectUris: [...new Set(req.redirect_uris)],
        scopes,
        dynamic: true,
        status: mode === 'approval' ? 'pending' : 'active',
        registrationTokenHash: sha256(registrationToken),
      });
      await this.deps.audit.record(
        { ...ctx, db: tx },
        {
          action: 'oauth_clients.register',
          targetType: 'oauth_client',
          targetId: created.id,
          details: { name: created.name, redirectUris: created.redirectUris, scopes, status: created.status },
        },
      );
      return created;
    });
    return {
      ...this.registrationView(row, grantTypes, responseTypes),
      registration_access_token: registrationToken,
    };
  }

  /** RFC 7592 read: the client's registration, with its registration access token. */
  async readRegistration(ctx: Ctx, clientId: string, token: string | null): Promise<RegisteredClient> {
    const client = await this.find(ctx, clientId);
    if (!client?.registrationTokenHash || !token || !safeEqual(sha256(token), client.registrationTokenHash))
      throw new InvalidToken('Unknown client or wrong registration access token');
    return this.registrationView(client, ['authorization_code', 'refresh_token'], ['code']);
  }

  // ——— internals ———

  private registrationView(
    row: OAuthClientRow,
    grantTypes: string[],
    responseTypes: string[],
  ): RegisteredClient {
    return {
      client_id: row.id,
      client_id_issued_at: Math.floor(row.createdAt.getTime() / 1000),
      client_name: row.name,
      redirect_uris: row.redirectUris,
      grant_types: grantTypes,
      response_types: responseTypes,
      token_endpoint_auth_method: 'none',
      scope: row.scopes.join(' '),
      registration_client_uri: `${this.deps.appUrl()}/api/oauth/register/${row.id}`,
    };
  }

  private async require(ctx: Ctx, id: string): Promise<OAuthClientRow> {
    const client = isUuid(id) ? await findClient(ctx.db, id) : undefined;
    if (!client) throw new AppError('not_found:oauth_clients', 'No such OAuth client');
    return client;
  }

  private async serviceUser(
    ctx: Ctx,
    email: string | null | undefined,
    isPublic: boolean,
  ): Promise<string | null> {
    if (!email) return null;
    if (isPublic)
      throw new AppError('validation:oauth_clients', 'A public client cannot use client credentials', {
        details: { fields: { serviceUserEmail: 'only for confidential clients' } },
      });
    const user = await this.deps.users.findByEmail(ctx, email);
    if (!user)
      throw new AppError('validation:oauth_clients', `No user with the e-mail ${email}`, {
        details: { fields: { serviceUserEmail: 'no such user' } },
      });
    return user.id;
  }

  private touch(ctx: Ctx, clientId: string): void {
    const now = Date.now();
    if (now - (this.touched.get(clientId) ?? 0) < LAST_USED_WRITE_MS) return;
    this.touched.set(clientId, now);
    touchClient(ctx.db, clientId, new Date(now)).catch((err) =>
      ctx.log.warn({ err }, 'oauth: last-used write failed'),
    );
  }
}
