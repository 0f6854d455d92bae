/**
 * OAuth clients: administration (register, edit, rotate the secret — shown once —, disable, approve) for
 * the admin console and the CLI, and client authentication at the token, revocation and introspection
 * endpoints (client_secret_basic, client_secret_post, none; parsing in client-credentials.ts). Dynamic
 * registration and its policy live in clients.registration.ts (`oauthClients.dynamic`).
 */
import { z } from 'zod';
import { assertCan } from '../../lib/authz';
import { randomToken, safeEqual, sha256 } from '../../lib/crypto';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { parseInput } from '../../lib/validate';
import type { AuditService } from '../audit/audit.service';
import { fieldChanges, listChanges } from '../audit/changes';
import type { SettingsService } from '../settings/settings.service';
import type { UsersService } from '../users/users.service';
import type { ClientCredentials } from './client-credentials';
import { DynamicClients } from './clients.registration';
import {
  findClient,
  insertClient,
  listClients,
  type OAuthClientRow,
  touchClient,
  updateClient,
} from './clients.repo';
import { CreateClientInput, type OAuthClientView, toClientView, UpdateClientInput } from './clients.schemas';
import { countLiveGrants } from './grants.repo';
import { InvalidClient } from './oauth.errors';

export * from './client-credentials';
export * from './clients.registration';
export * from './clients.schemas';

const ADMIN = 'admin:settings';
const LAST_USED_WRITE_MS = 60_000;

const isUuid = (v: string) => z.uuid().safeParse(v).success;

export class OAuthClientsService {
  /** RFC 7591 registration, its policy and the expiry of unused registrations. */
  readonly dynamic: DynamicClients;
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly deps: {
      audit: AuditService;
      settings: SettingsService;
      users: UsersService;
      appUrl: () => string;
    },
  ) {
    this.dynamic = new DynamicClients(deps);
  }

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
    const [client] = isUuid(id) ? await listClients(ctx.db, id) : [];
    if (!client) throw new AppError('not_found:oauth_clients', 'No such OAuth client');
    return toClientView(client);
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
        rateLimitRpm: data.rateLimitRpm,
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
            rateLimitRpm: created.rateLimitRpm,
            redirectUris: created.redirectUris,
          },
        },
      );
      return created;
    });
    return { client: await this.get(ctx, row.id), secret };
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
    if (data.rateLimitRpm !== undefined) patch.rateLimitRpm = data.rateLimitRpm;
    if (data.serviceUserEmail !== undefined)
      patch.serviceUserId = await this.serviceUser(ctx, data.serviceUserEmail, client.isPublic);
    const before = await this.get(ctx, client.id);
    const after = await ctx.db.transaction(async (tx) => {
      await updateClient(tx, client.id, patch);
      const [updated] = await listClients(tx, client.id);
      const view = toClientView(updated!);
      // The client's name, then what changed (no secret is among these fields): lists as added/removed.
      const changes = fieldChanges(before, view, ['name', 'status', 'serviceUserEmail', 'rateLimitRpm']);
      const redirectUris = listChanges(before.redirectUris, view.redirectUris);
      const scopes = listChanges(before.scopes, view.scopes);
      await this.deps.audit.record(
        { ...ctx, db: tx },
        {
          action: 'oauth_clients.update',
          targetType: 'oauth_client',
          targetId: client.id,
          details: {
            client: before.name,
            ...changes,
            ...(redirectUris ? { redirectUris } : {}),
            ...(scopes ? { scopes } : {}),
          },
        },
      );
      return view;
    });
    return after;
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
    return { client: await this.get(ctx, row.id), secret };
  }

  /** Approves a pending dynamic registration (setting `approval`). */
  async approve(ctx: Ctx, id: string): Promise<OAuthClientView> {
    assertCan(ctx.actor, ADMIN);
    const client = await this.require(ctx, id);
    if (client.status !== 'pending')
      throw new AppError('conflict:oauth_clients', 'This client is not waiting for approval');
    return this.update(ctx, id, { status: 'active' });
  }

  // ——— internals ———

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
