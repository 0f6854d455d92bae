/**
 * The model registry. Admins (admin:models) add, edit, grant, discover and test models; everyone else sees
 * only the active models of a surface that they hold the surface's capability for and — when the model has
 * grants — are granted. Chat and compare get the AI SDK model for a registry row through `languageModel`.
 */

import type { z } from 'zod';
import type { ModelSurface } from '../../../db/schema/index';
import { isProviderId, missingSettings, PROVIDER_LABELS, PROVIDERS } from '../../ai/credentials';
import type { ProviderFactory, ProviderModel } from '../../ai/providers';
import { assertCan, can } from '../../lib/authz';
import type { Capability } from '../../lib/capabilities';
import type { Actor, Ctx } from '../../lib/ctx';
import { Derived } from '../../lib/derived';
import { AppError } from '../../lib/errors';
import type { HotCaches, TtlCache } from '../../lib/hot-cache';
import { isUuid } from '../../lib/ids';
import { pgCode } from '../../lib/pg-errors';
import { parseInput } from '../../lib/validate';
import type { AuditService } from '../audit/audit.service';
import { fieldChanges } from '../audit/changes';
import type { RolesService } from '../roles/roles.service';
import {
  deleteModel,
  deleteModelGrants,
  findModel,
  findModelByRef,
  grantsOfModels,
  insertModel,
  listActiveOnSurface,
  listModelRows,
  MODEL_RESOURCE,
  type ModelGrant,
  type ModelRow,
  updateModel,
} from './models.repo';
import {
  type AdminModelView,
  CreateModelInput,
  DiscoverInput,
  GrantsInput,
  ModelRefInput,
  Surface,
  UpdateModelInput,
  type UsableModelView,
} from './models.schemas';

export const MANAGE: Capability = 'admin:models';
/** The capability a surface requires before any model of it is visible. */
export const SURFACE_CAPABILITY: Record<ModelSurface, Capability> = {
  chat: 'chat:use',
  compare: 'compare:use',
  assistants: 'assistants:use',
};

export function toUsableView(row: ModelRow): UsableModelView {
  return {
    id: row.id,
    provider: row.provider,
    modelId: row.modelId,
    kind: row.kind,
    dimensions: row.dimensions,
    displayName: row.displayName,
    description: row.description,
    capabilities: row.capabilities,
    contextWindow: row.contextWindow,
    maxOutputTokens: row.maxOutputTokens,
    inputPricePerMillion: row.inputPricePerMillion,
    outputPricePerMillion: row.outputPricePerMillion,
    cachedInputPricePerMillion: row.cachedInputPricePerMillion,
    surfaces: row.surfaces,
  };
}

function toAdminView(row: ModelRow, grants: ModelGrant[]): AdminModelView {
  return {
    ...toUsableView(row),
    active: row.active,
    baseUrl: row.baseUrl,
    grants: {
      roles: grants.flatMap((g) => (g.roleName ? [g.roleName] : [])),
      userIds: grants.flatMap((g) => (g.userId ? [g.userId] : [])),
    },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const guardOf = (row: ModelRow, grants: ModelGrant[]) => ({
  type: MODEL_RESOURCE,
  id: row.id,
  grants: grants.map((g) => ({ roleName: g.roleName, userId: g.userId })),
});

/** A surface's active models with their grants, as loaded. */
type SurfaceModels = Array<{ row: ModelRow; grants: ModelGrant[] }>;

export class ModelsService {
  /** A model row and its grants by id, for the per-request check (lib/hot-cache.ts says what clears it). */
  private readonly usable: TtlCache<{ row: ModelRow; grants: ModelGrant[] } | null>;
  /**
   * The active models of a surface with their grants (the gateway reads them on every call), cleared as
   * `usable` is; who may use which is decided per request from them.
   */
  private readonly onSurface: TtlCache<SurfaceModels>;
  /** An actor's usable views of a loaded surface list (the gateway's model list asks on every call). */
  private readonly usableViews = new Derived<SurfaceModels, Actor, UsableModelView[]>();

  constructor(
    private readonly deps: {
      audit: AuditService;
      roles: RolesService;
      providers: ProviderFactory;
      caches: HotCaches;
    },
  ) {
    this.usable = deps.caches.create({ max: 2_000 });
    this.onSurface = deps.caches.create({ max: 16 });
  }

  // ── Everyone ────────────────────────────────────────────────────────────

  /** Models the actor may use on a surface (model pickers). */
  async listUsable(ctx: Ctx, surface: ModelSurface): Promise<UsableModelView[]> {
    const s = parseInput(Surface, surface, 'models');
    const capability = SURFACE_CAPABILITY[s];
    assertCan(ctx.actor, capability);
    const models = await this.onSurface.getOrLoad(s, async () => {
      const rows = await listActiveOnSurface(ctx.db, s);
      const grants = await grantsOfModels(
        ctx.db,
        rows.map((r) => r.id),
      );
      return rows.map((row) => ({ row, grants: grants.get(row.id) ?? [] }));
    });
    return this.usableViews.get(models, ctx.actor, () =>
      models
        .filter((m) => can(ctx.actor, capability, guardOf(m.row, m.grants)))
        .map((m) => Object.freeze(toUsableView(m.row))),
    );
  }

  /**
   * One model the actor may use on a surface — what chat/compare call before streaming. Inactive, off-surface
   * and not-granted models all answer 404 so their existence is not revealed.
   */
  async getUsable(ctx: Ctx, id: string, surface: ModelSurface): Promise<ModelRow> {
    const capability = SURFACE_CAPABILITY[parseInput(Surface, surface, 'models')];
    assertCan(ctx.actor, capability);
    const found = await this.usable.getOrLoad(
      id,
      async () => {
        const row = await this.find(ctx, id);
        return row ? { row, grants: (await grantsOfModels(ctx.db, [row.id])).get(row.id) ?? [] } : null;
      },
      (v) => v !== null,
    );
    const notFound = () => new AppError('not_found:models', 'No such model');
    if (!found?.row.active || !found.row.surfaces.includes(surface)) throw notFound();
    if (!can(ctx.actor, capability, guardOf(found.row, found.grants))) throw notFound();
    return found.row;
  }

  /** The AI SDK model for a registry row, with the provider's current credentials. */
  languageModel(ctx: Ctx, row: Pick<ModelRow, 'provider' | 'modelId' | 'baseUrl'>): Promise<ProviderModel> {
    return this.deps.providers.languageModel(ctx, row);
  }

  // ── Admin ───────────────────────────────────────────────────────────────

  async list(ctx: Ctx): Promise<AdminModelView[]> {
    assertCan(ctx.actor, MANAGE);
    const rows = await listModelRows(ctx.db);
    const grants = await grantsOfModels(
      ctx.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toAdminView(r, grants.get(r.id) ?? []));
  }

  async get(ctx: Ctx, id: string): Promise<AdminModelView> {
    assertCan(ctx.actor, MANAGE);
    return this.view(ctx, await this.require(ctx, id));
  }

  async create(ctx: Ctx, input: z.input<typeof CreateModelInput>): Promise<AdminModelView> {
    assertCan(ctx.actor, MANAGE);
    const data = parseInput(CreateModelInput, input, 'models');
    const row = await ctx.db
      .transaction(async (tx) => {
        const created = await insertModel(tx, { ...data, displayName: data.displayName ?? data.modelId });
        await this.deps.audit.record(
          { ...ctx, db: tx },
          {
            action: 'models.create',
            targetType: MODEL_RESOURCE,
            targetId: created.id,
            details: { provider: created.provider, modelId: created.modelId },
          },
        );
        return created;
      })
      .catch((err: unknown) => {
        if (pgCode(err) === '23505') {
          throw new AppError(
            'conflict:models',
            `${data.provider} model ${data.modelId} is already registered`,
            {
              details: { fields: { modelId: 'already registered for this provider' } },
            },
          );
        }
        throw err;
      });
    return this.view(ctx, row);
  }

  async update(ctx: Ctx, id: string, input: z.input<typeof UpdateModelInput>): Promise<AdminModelView> {
    assertCan(ctx.actor, MANAGE);
    const patch = parseInput(UpdateModelInput, input, 'models');
    const current = await this.require(ctx, id);
    if (patch.baseUrl && current.provider !== 'openai-compatible') {
      throw new AppError(
        'validation:models',
        'Invalid input: baseUrl only openai-compatible models have their own URL',
        {
          details: { fields: { baseUrl: 'only openai-compatible models have their own URL' } },
        },
      );
    }
    const row = await ctx.db.transaction(async (tx) => {
      const updated = await updateModel(tx, current.id, patch);
      await this.deps.audit.record(
        { ...ctx, db: tx },
        {
          action: 'models.update',
          targetType: MODEL_RESOURCE,
          targetId: current.id,
          details: fieldChanges(current, updated!, Object.keys(patch) as (keyof ModelRow & string)[]),
        },
      );
      return updated!;
    });
    return this.view(ctx, row);
  }

  async remove(ctx: Ctx, id: string): Promise<void> {
    assertCan(ctx.actor, MANAGE);
    const current = await this.require(ctx, id);
    await ctx.db
      .transaction(async (tx) => {
        await deleteModel(tx, current.id);
        await deleteModelGrants(tx, current.id);
        await this.deps.audit.record(
          { ...ctx, db: tx },
          {
            action: 'models.delete',
            targetType: MODEL_RESOURCE,
            targetId: current.id,
            details: { provider: current.provider, modelId: current.modelId },
          },
        );
      })
      .catch((err: unknown) => {
        if (pgCode(err) === '23503') {
          throw new AppError(
            'conflict:models',
            'This model has conversations or usage records; deactivate it instead',
          );
        }
        throw err;
      });
  }

  /** Replaces who may use the model (roles by name, users by id). Empty lists = open to the surface's users. */
  async setGrants(ctx: Ctx, id: string, input: z.input<typeof GrantsInput>): Promise<AdminModelView> {
    assertCan(ctx.actor, MANAGE);
    const row = await this.require(ctx, id);
    const grantees = parseInput(GrantsInput, input, 'models');
    await this.deps.roles.setGrants(ctx, {
      type: MODEL_RESOURCE,
      id: row.id,
      manageCapability: MANAGE,
      grantees,
    });
    return this.view(ctx, row);
  }

  /** Which providers have their settings; `missing` names the setting keys still needed. */
  async providerStatus(ctx: Ctx) {
    assertCan(ctx.actor, MANAGE);
    return Promise.all(
      PROVIDERS.map(async (provider) => {
        // Resolving throws `not_configured:provider` naming what is missing; anything else is a real failure.
        const missing = await this.deps.providers
          .credentials(ctx, { provider })
          .then((c) => missingSettings(provider, c))
          .catch((err: unknown) => {
            if (err instanceof AppError && err.code === 'not_configured:provider') {
              return (err.details as { missing: string[] }).missing;
            }
            throw err;
          });
        return { provider, label: PROVIDER_LABELS[provider], configured: missing.length === 0, missing };
      }),
    );
  }

  /** The provider's own model list, marking the ones already registered. */
  async discover(ctx: Ctx, input: z.input<typeof DiscoverInput>) {
    assertCan(ctx.actor, MANAGE);
    const ref = parseInput(DiscoverInput, input, 'models');
    const [found, registered] = await Promise.all([
      this.deps.providers.listModels(ctx, ref),
      listModelRows(ctx.db),
    ]);
    const have = new Set(registered.filter((r) => r.provider === ref.provider).map((r) => r.modelId));
    return found.map((m) => ({ ...m, added: have.has(m.id) }));
  }

  /** One-token call against a registered model. */
  async test(ctx: Ctx, id: string) {
    assertCan(ctx.actor, MANAGE);
    const row = await this.require(ctx, id);
    return this.deps.providers.testModel(ctx, row);
  }

  /** One-token call against a model not saved yet (the "add model" form). */
  async testRef(ctx: Ctx, input: z.input<typeof ModelRefInput>) {
    assertCan(ctx.actor, MANAGE);
    const ref = parseInput(ModelRefInput, input, 'models');
    return this.deps.providers.testModel(ctx, ref);
  }

  private async find(ctx: Ctx, id: string): Promise<ModelRow | undefined> {
    return isUuid(id) ? findModel(ctx.db, id) : undefined;
  }

  private async require(ctx: Ctx, id: string): Promise<ModelRow> {
    const row = await this.find(ctx, id);
    if (!row) throw new AppError('not_found:models', 'No such model');
    return row;
  }

  private async view(ctx: Ctx, row: ModelRow): Promise<AdminModelView> {
    return toAdminView(row, (await grantsOfModels(ctx.db, [row.id])).get(row.id) ?? []);
  }

  /** For the CLI and seeds: find by provider + model id. */
  async findByRef(ctx: Ctx, provider: string, modelId: string): Promise<ModelRow | undefined> {
    assertCan(ctx.actor, MANAGE);
    return isProviderId(provider) ? findModelByRef(ctx.db, provider, modelId) : undefined;
  }
}
