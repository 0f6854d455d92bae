import { and, arrayContains, asc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { aiModels, type ModelSurface, resourceGrants, roles } from '../../../db/schema/index';
import { prepared } from '../../lib/prepared';

export type ModelRow = typeof aiModels.$inferSelect;
export type NewModelRow = typeof aiModels.$inferInsert;

export const MODEL_RESOURCE = 'model';

export function listModelRows(db: Queryable): Promise<ModelRow[]> {
  return db.select().from(aiModels).orderBy(asc(aiModels.provider), asc(aiModels.displayName));
}

export function listActiveOnSurface(db: Queryable, surface: ModelSurface): Promise<ModelRow[]> {
  // One prepared query per surface (a handful of constants).
  return prepared(db, `models_on_${surface}`, (d) =>
    d
      .select()
      .from(aiModels)
      .where(and(eq(aiModels.active, true), arrayContains(aiModels.surfaces, [surface])))
      .orderBy(asc(aiModels.displayName))
      .prepare(`models_on_${surface}`),
  ).execute();
}

export function findModel(db: Queryable, id: string): Promise<ModelRow | undefined> {
  return db.query.aiModels.findFirst({ where: eq(aiModels.id, id) });
}

export function findModelByRef(
  db: Queryable,
  provider: string,
  modelId: string,
): Promise<ModelRow | undefined> {
  return db.query.aiModels.findFirst({
    where: and(eq(aiModels.provider, provider as ModelRow['provider']), eq(aiModels.modelId, modelId)),
  });
}

export async function insertModel(db: Queryable, row: NewModelRow): Promise<ModelRow> {
  const [created] = await db.insert(aiModels).values(row).returning();
  return created!;
}

export async function updateModel(
  db: Queryable,
  id: string,
  patch: Partial<NewModelRow>,
): Promise<ModelRow | undefined> {
  const [row] = await db
    .update(aiModels)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(aiModels.id, id))
    .returning();
  return row;
}

export async function deleteModel(db: Queryable, id: string): Promise<ModelRow | undefined> {
  const [row] = await db.delete(aiModels).where(eq(aiModels.id, id)).returning();
  return row;
}

/** resource_grants rows have no FK to the resource: remove a deleted model's grants explicitly. */
export async function deleteModelGrants(db: Queryable, id: string): Promise<void> {
  await db
    .delete(resourceGrants)
    .where(and(eq(resourceGrants.resourceType, MODEL_RESOURCE), eq(resourceGrants.resourceId, id)));
}

export interface ModelGrant {
  modelId: string;
  roleName: string | null;
  userId: string | null;
}

/** Grants of many models in one query (model list pages must not query per model). */
export async function grantsOfModels(db: Queryable, ids: string[]): Promise<Map<string, ModelGrant[]>> {
  const byModel = new Map<string, ModelGrant[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return byModel;
  const query = prepared(db, 'grants_of_models', (d) =>
    d
      .select({ modelId: resourceGrants.resourceId, roleName: roles.name, userId: resourceGrants.userId })
      .from(resourceGrants)
      .leftJoin(roles, eq(roles.id, resourceGrants.roleId))
      .where(
        and(
          eq(resourceGrants.resourceType, MODEL_RESOURCE),
          sql`${resourceGrants.resourceId} = any(${sql.placeholder('ids')}::text[])`,
        ),
      )
      .prepare('grants_of_models'),
  );
  const rows = await query.execute({ ids });
  for (const r of rows) byModel.get(r.modelId)?.push(r);
  return byModel;
}
