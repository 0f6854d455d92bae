/**
 * Dynamically registered clients (RFC 7591): the anonymous registration endpoint (public clients limited
 * to mcp:* and OIDC scopes), its RFC 7592 read, the `oauth.registration` policy (open / approval / off), and
 * the deletion of registrations nobody used for `oauth.dynamic_client_unused_days` days (a nightly job; peer
 * lesson: orphan registrations pile up).
 */
import { z } from 'zod';
import { assertCan } from '../../lib/authz';
import { randomToken, safeEqual, sha256 } from '../../lib/crypto';
import type { Ctx } from '../../lib/ctx';
import { parseInput } from '../../lib/validate';
import type { AuditService } from '../audit/audit.service';
import type { SettingsService } from '../settings/settings.service';
import { deleteUnusedDynamicClients, findClient, insertClient, type OAuthClientRow } from './clients.repo';
import { REGISTRATION_MODES, type RegistrationMode, RegistrationRequest } from './clients.schemas';
import { InvalidClientMetadata, InvalidRedirectUri, InvalidToken, RegistrationClosed } from './oauth.errors';
import { DYNAMIC_CLIENT_SCOPES, parseScopeParam } from './oauth.scopes';
import { redirectUriProblem } from './redirect-uri';

const ADMIN = 'admin:settings';
const MODE_SETTING = 'oauth.registration';
export const UNUSED_DAYS_SETTING = 'oauth.dynamic_client_unused_days';
export const DEFAULT_UNUSED_DAYS = 30;
const DAY_MS = 24 * 3600_000;

export const UnusedDays = z
  .number({ error: 'must be a whole number of days' })
  .int('must be a whole number of days')
  .min(1, 'must be at least 1 day')
  .max(3650, 'must be at most 3650 days');

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

export class DynamicClients {
  constructor(
    private readonly deps: { audit: AuditService; settings: SettingsService; appUrl: () => string },
  ) {}

  async registrationMode(ctx: Ctx): Promise<RegistrationMode> {
    const value = (await this.deps.settings.get(ctx, MODE_SETTING)) ?? 'open';
    return (REGISTRATION_MODES as readonly string[]).includes(value) ? (value as RegistrationMode) : 'open';
  }

  async setRegistrationMode(ctx: Ctx, mode: string): Promise<RegistrationMode> {
    assertCan(ctx.actor, ADMIN);
    const value = parseInput(z.enum(REGISTRATION_MODES), mode, 'oauth_clients');
    await this.deps.settings.set(ctx, { key: MODE_SETTING, value });
    return value;
  }

  /** Days a dynamic client may go unused before the nightly job deletes it. */
  async unusedDays(ctx: Ctx): Promise<number> {
    const days = await this.deps.settings.getNumber(ctx, UNUSED_DAYS_SETTING, DEFAULT_UNUSED_DAYS);
    return UnusedDays.safeParse(days).success ? days : DEFAULT_UNUSED_DAYS;
  }

  async setUnusedDays(ctx: Ctx, days: number): Promise<number> {
    assertCan(ctx.actor, ADMIN);
    const value = parseInput(z.object({ unusedDays: UnusedDays }), { unusedDays: days }, 'oauth_clients');
    await this.deps.settings.set(ctx, { key: UNUSED_DAYS_SETTING, value: String(value.unusedDays) });
    return value.unusedDays;
  }

  /**
   * Deletes dynamic clients not used for `days` days (never used: registered that long ago) and holding no
   * live grant; audited with their ids. Returns how many went.
   */
  async expireUnused(ctx: Ctx, days: number, now = new Date()): Promise<number> {
    assertCan(ctx.actor, ADMIN);
    const ids = await deleteUnusedDynamicClients(ctx.db, {
      unusedSince: new Date(now.getTime() - Math.max(1, days) * DAY_MS),
      now,
    });
    if (ids.length)
      await this.deps.audit.record(ctx, {
        action: 'oauth_clients.expire_dynamic',
        targetType: 'oauth_client',
        details: { count: ids.length, ids, unusedDays: days },
      });
    return ids.length;
  }

  /** POST /api/oauth/register (anonymous). */
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
    return { ...this.view(row, grantTypes, responseTypes), registration_access_token: registrationToken };
  }

  /** RFC 7592 read: the client's registration, with its registration access token. */
  async readRegistration(ctx: Ctx, clientId: string, token: string | null): Promise<RegisteredClient> {
    const client = z.uuid().safeParse(clientId).success ? await findClient(ctx.db, clientId) : undefined;
    if (!client?.registrationTokenHash || !token || !safeEqual(sha256(token), client.registrationTokenHash))
      throw new InvalidToken('Unknown client or wrong registration access token');
    return this.view(client, ['authorization_code', 'refresh_token'], ['code']);
  }

  private view(row: OAuthClientRow, grantTypes: string[], responseTypes: string[]): RegisteredClient {
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
}
