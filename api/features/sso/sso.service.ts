/**
 * SSO providers: admin CRUD (admin:settings, every change audited, client secret encrypted at rest and
 * never returned), the public list behind the sign-in page buttons, a connectivity test, and the
 * decrypted configuration the sign-in flow runs on.
 */
import { assertCan } from '../../lib/authz';
import { decrypt, deriveKey, encrypt } from '../../lib/crypto';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { isUniqueViolation } from '../../lib/pg-errors';
import { parseInput } from '../../lib/validate';
import type { AuditService } from '../audit/audit.service';
import { fieldChanges } from '../audit/changes';
import type { RolesService } from '../roles/roles.service';
import type { UsersService } from '../users/users.service';
import { DiscoveryCache } from './oidc/discovery';
import {
  discoveryBase,
  issuerAccepted,
  type SsoProviderConfig,
  type SsoProviderType,
} from './oidc/provider-config';
import { ssoErrorMessage } from './sso.errors';
import { type ProviderTestReport, testProvider } from './sso.probe';
import {
  deleteProvider,
  findProviderById,
  findProviderBySlug,
  insertProvider,
  listProviderRows,
  type SsoProviderRow,
  updateProvider,
} from './sso.repo';
import { CreateSsoProviderInput, missingForType, UpdateSsoProviderInput } from './sso.schemas';
import { SsoSignIn } from './sso.signin';

export const MASKED_SECRET = '••••••••';

/** A provider's configuration as admins see it: `clientSecret` is masked when set (never the clear value). */
export interface SsoProviderView extends SsoProviderConfig {
  /** The redirect URI to register at the IdP. */
  callbackUrl: string;
  createdAt: string;
  updatedAt: string;
}

export interface SsoButton {
  slug: string;
  displayName: string;
}

export interface SsoServiceDeps {
  appSecret: string;
  appUrl: () => string;
  audit: AuditService;
  roles: Pick<RolesService, 'resolveNames'>;
  users: Pick<UsersService, 'findOrCreateFromSso'>;
}

export class SsoService {
  readonly discovery = new DiscoveryCache();
  /** The browser sign-in flow (/auth/sso/:provider → /auth/callback/:provider). */
  readonly signIn: SsoSignIn;
  private readonly key: Buffer;

  constructor(private readonly deps: SsoServiceDeps) {
    this.key = deriveKey(deps.appSecret, 'sso');
    this.signIn = new SsoSignIn({ appSecret: deps.appSecret, sso: this, users: deps.users });
  }

  /** The sentence the sign-in page shows for `?error=<code>`; null for unknown codes. */
  describeError(code: string | null | undefined): string | null {
    return ssoErrorMessage(code);
  }

  callbackUrl(slug: string): string {
    return `${this.deps.appUrl()}/auth/callback/${encodeURIComponent(slug)}`;
  }

  /** Buttons for the sign-in page: enabled providers only, no secrets — safe for anonymous visitors. */
  async listEnabled(ctx: Ctx): Promise<SsoButton[]> {
    const rows = await listProviderRows(ctx.db);
    return rows.filter((r) => r.enabled).map((r) => ({ slug: r.slug, displayName: r.displayName }));
  }

  async list(ctx: Ctx): Promise<SsoProviderView[]> {
    assertCan(ctx.actor, 'admin:settings');
    return (await listProviderRows(ctx.db)).map((r) => this.view(r));
  }

  async get(ctx: Ctx, id: string): Promise<SsoProviderView> {
    assertCan(ctx.actor, 'admin:settings');
    return this.view(await this.require(ctx, id));
  }

  async create(ctx: Ctx, input: CreateSsoProviderInput): Promise<SsoProviderView> {
    assertCan(ctx.actor, 'admin:settings');
    const data = parseInput(CreateSsoProviderInput, input, 'sso');
    this.assertComplete({ ...data, hasSecret: !!data.clientSecret });
    await this.assertRolesExist(ctx, data.groupRoles);
    if (await findProviderBySlug(ctx.db, data.slug))
      throw conflict(`A provider with the slug ${data.slug} already exists`);
    const row = await insertProvider(ctx.db, {
      ...data,
      clientSecret: data.clientSecret ? encrypt(data.clientSecret, this.key) : null,
      issuer: data.issuer ?? null,
      domain: data.domain ?? null,
      tenant: data.tenant ?? null,
      groupClaim: data.groupClaim ?? null,
      createdBy: ctx.actor.type === 'user' ? ctx.actor.id : null,
    }).catch((err: unknown) => {
      if (isUniqueViolation(err)) throw conflict(`A provider with the slug ${data.slug} already exists`);
      throw err;
    });
    await this.deps.audit.record(ctx, {
      action: 'sso.provider.create',
      targetType: 'sso_provider',
      targetId: row.id,
      details: auditDetails(data),
    });
    return this.view(row);
  }

  async update(ctx: Ctx, id: string, input: UpdateSsoProviderInput): Promise<SsoProviderView> {
    assertCan(ctx.actor, 'admin:settings');
    const data = parseInput(UpdateSsoProviderInput, input, 'sso');
    const current = await this.require(ctx, id);
    const hasSecret =
      data.clientSecret === undefined ? current.clientSecret !== null : data.clientSecret !== null;
    this.assertComplete({
      type: current.type,
      issuer: data.issuer === undefined ? current.issuer : data.issuer,
      domain: data.domain === undefined ? current.domain : data.domain,
      tenant: data.tenant === undefined ? current.tenant : data.tenant,
      hasSecret,
    });
    if (data.groupRoles) await this.assertRolesExist(ctx, data.groupRoles);
    const { clientSecret, ...rest } = data;
    const row = await updateProvider(ctx.db, id, {
      ...rest,
      ...(clientSecret === undefined
        ? {}
        : { clientSecret: clientSecret ? encrypt(clientSecret, this.key) : null }),
    });
    if (!row) throw notFound();
    this.discovery.forget();
    await this.deps.audit.record(ctx, {
      action: 'sso.provider.update',
      targetType: 'sso_provider',
      targetId: id,
      details: { slug: current.slug, ...changesOf(current, row, clientSecret) },
    });
    return this.view(row);
  }

  async remove(ctx: Ctx, id: string): Promise<void> {
    assertCan(ctx.actor, 'admin:settings');
    const current = await this.require(ctx, id);
    await deleteProvider(ctx.db, id);
    this.discovery.forget();
    await this.deps.audit.record(ctx, {
      action: 'sso.provider.delete',
      targetType: 'sso_provider',
      targetId: id,
      details: { slug: current.slug, type: current.type },
    });
  }

  /** Fetches discovery and JWKS now and says, step by step, what works and what does not. */
  async test(ctx: Ctx, id: string): Promise<ProviderTestReport> {
    assertCan(ctx.actor, 'admin:settings');
    const config = this.toConfig(await this.require(ctx, id));
    const report = await testProvider(config, this.discovery);
    await this.deps.audit.record(ctx, {
      action: 'sso.provider.test',
      targetType: 'sso_provider',
      targetId: id,
      details: { slug: config.slug, ok: report.ok },
    });
    return report;
  }

  /** The decrypted configuration of an enabled provider, for the sign-in flow. */
  async enabledConfig(ctx: Ctx, slug: string): Promise<SsoProviderConfig | null> {
    const row = await findProviderBySlug(ctx.db, slug.toLowerCase());
    return row?.enabled ? this.toConfig(row) : null;
  }

  /** Discovery for a provider, cached; refreshed by `fresh` (the test button). */
  discover(config: SsoProviderConfig, fresh = false) {
    const base = discoveryBase(config);
    return this.discovery.get(base, {
      fresh,
      issuerAccepted: (iss) => issuerAccepted(config.type, base, iss),
    });
  }

  private toConfig(row: SsoProviderRow): SsoProviderConfig {
    let clientSecret: string | null = null;
    if (row.clientSecret) {
      try {
        clientSecret = decrypt(row.clientSecret, this.key);
      } catch (err) {
        throw new AppError(
          'internal:sso',
          `The client secret of ${row.slug} cannot be decrypted (was APP_SECRET changed?)`,
          {
            cause: err,
          },
        );
      }
    }
    return { ...row, type: row.type as SsoProviderType, clientSecret };
  }

  private view(row: SsoProviderRow): SsoProviderView {
    return {
      id: row.id,
      slug: row.slug,
      type: row.type as SsoProviderType,
      displayName: row.displayName,
      clientId: row.clientId,
      clientSecret: row.clientSecret ? MASKED_SECRET : null,
      issuer: row.issuer,
      domain: row.domain,
      tenant: row.tenant,
      allowedDomains: row.allowedDomains,
      groupClaim: row.groupClaim,
      groupRoles: row.groupRoles,
      enabled: row.enabled,
      callbackUrl: this.callbackUrl(row.slug),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  private async require(ctx: Ctx, id: string): Promise<SsoProviderRow> {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await findProviderById(ctx.db, id) : undefined;
    if (!row) throw notFound();
    return row;
  }

  private assertComplete(p: Parameters<typeof missingForType>[0]): void {
    const fields = missingForType(p);
    if (Object.keys(fields).length)
      throw new AppError('validation:sso', `Invalid input: ${Object.keys(fields).join(', ')}`, {
        details: { fields },
      });
  }

  private async assertRolesExist(ctx: Ctx, mapping: Record<string, string>): Promise<void> {
    const names = Object.values(mapping);
    if (names.length) await this.deps.roles.resolveNames(ctx, names, 'groupRoles');
  }
}

const notFound = () => new AppError('not_found:sso', 'No such SSO provider');
const conflict = (message: string) =>
  new AppError('conflict:sso', message, { details: { fields: { slug: 'is already taken' } } });

/** What changed, for the audit trail — the secret only as set/cleared. */
/** What an update changed, before → after; the secret only as whether one is set (never its value). */
function changesOf(
  before: SsoProviderRow,
  after: SsoProviderRow,
  newSecret: string | null | undefined,
): Record<string, unknown> {
  const secretState = (set: boolean) => (set ? 'set' : 'not set');
  return {
    ...fieldChanges(before, after, AUDITED_FIELDS),
    ...(newSecret === undefined
      ? {}
      : {
          clientSecret: {
            from: secretState(before.clientSecret !== null),
            to: newSecret ? 'new secret' : 'not set',
          },
        }),
  };
}

const AUDITED_FIELDS = [
  'displayName',
  'clientId',
  'issuer',
  'domain',
  'tenant',
  'allowedDomains',
  'groupClaim',
  'groupRoles',
  'enabled',
] as const;

function auditDetails(data: Record<string, unknown>): Record<string, unknown> {
  const { clientSecret, ...rest } = data;
  return {
    ...rest,
    ...(clientSecret === undefined ? {} : { clientSecret: clientSecret ? 'set' : 'cleared' }),
  };
}
