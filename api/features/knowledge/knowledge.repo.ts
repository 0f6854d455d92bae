/** Data access for repositories, items and chunks. Reads that return content take the actor's SQL filter. */
import { and, asc, count, desc, eq, inArray, isNull, ne, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import {
  type ChunkLocation,
  knowledgeChunks,
  knowledgeItems,
  knowledgeRepositories,
  resourceGrants,
  roles,
} from '../../../db/schema/index';
import type { Actor } from '../../lib/ctx';
import { manageableBy, REPOSITORY_RESOURCE, readableBy } from './knowledge.access';

export type RepositoryRow = typeof knowledgeRepositories.$inferSelect;
export type ItemRow = typeof knowledgeItems.$inferSelect;
export type NewItemRow = typeof knowledgeItems.$inferInsert;

const R = knowledgeRepositories;

export async function insertRepository(
  db: Queryable,
  row: typeof knowledgeRepositories.$inferInsert,
): Promise<RepositoryRow> {
  const [created] = await db.insert(R).values(row).returning();
  return created!;
}

/**
 * Readable repositories (all, or these ids), with whether the actor manages each and its item count.
 * Without ids, conversations' private repositories are left out (they are reached by id, from their chat).
 */
export async function listReadableRepositories(
  db: Queryable,
  actor: Actor,
  ids?: string[],
): Promise<(RepositoryRow & { canManage: boolean; itemCount: number; itemsIndexing: number })[]> {
  const rows = await db
    .select({
      repo: R,
      canManage: sql<boolean>`${manageableBy(actor, '"knowledge_repositories"')}`,
      itemCount: sql<number>`(select count(*)::int from knowledge_items i where i.repository_id = ${R.id})`,
      itemsIndexing: sql<number>`(select count(*)::int from knowledge_items i where i.repository_id = ${R.id} and i.status in ('queued', 'processing'))`,
    })
    .from(R)
    .where(and(readableBy(actor, '"knowledge_repositories"'), ids ? inArray(R.id, ids) : isNull(R.chatId)))
    .orderBy(asc(R.name), asc(R.id));
  return rows.map((r) => ({
    ...r.repo,
    canManage: r.canManage,
    itemCount: Number(r.itemCount),
    itemsIndexing: Number(r.itemsIndexing),
  }));
}

export interface RepositoryGrantRow {
  repositoryId: string;
  roleName: string | null;
  userId: string | null;
}

export async function grantsOfRepositories(db: Queryable, ids: string[]): Promise<RepositoryGrantRow[]> {
  if (ids.length === 0) return [];
  return db
    .select({ repositoryId: resourceGrants.resourceId, roleName: roles.name, userId: resourceGrants.userId })
    .from(resourceGrants)
    .leftJoin(roles, eq(roles.id, resourceGrants.roleId))
    .where(
      and(eq(resourceGrants.resourceType, REPOSITORY_RESOURCE), inArray(resourceGrants.resourceId, ids)),
    );
}

export async function updateRepository(
  db: Queryable,
  id: string,
  patch: Partial<typeof knowledgeRepositories.$inferInsert>,
): Promise<void> {
  await db
    .update(R)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(R.id, id));
}

/** The private repository of (owner, chat), created on first use; `updated_at` marks its last attachment. */
export async function ensureChatRepository(
  db: Queryable,
  row: { ownerId: string; chatId: string; name: string },
): Promise<RepositoryRow> {
  const [repo] = await db
    .insert(R)
    .values({ ...row, visibility: 'private' })
    .onConflictDoUpdate({ target: [R.ownerId, R.chatId], set: { updatedAt: new Date() } })
    .returning();
  return repo!;
}

/**
 * The ids of `ownerId`'s private repositories of chat `chatId`, as a scalar subquery (uuid[], empty when
 * none): the chat turn reads it in the same statement as its conversation.
 */
export function chatRepositoryIdsSql(ownerId: SQLWrapper, chatId: SQLWrapper): SQL<string[]> {
  return sql<
    string[]
  >`(select coalesce(array_agg(${R.id}), '{}') from ${R} where ${R.ownerId} = ${ownerId} and ${R.chatId} = ${chatId})`;
}

export async function chatRepositoryIds(db: Queryable, ownerId: string, chatId: string): Promise<string[]> {
  const rows = await db
    .select({ id: R.id })
    .from(R)
    .where(and(eq(R.ownerId, ownerId), eq(R.chatId, chatId)));
  return rows.map((r) => r.id);
}

/**
 * Conversations' private repositories to delete: no attachment added since `cutoff`, or (older than
 * `orphanCutoff`) no conversation of their owner with that id — deleted, or never sent.
 */
export function expiredChatRepositories(
  db: Queryable,
  input: { cutoff: Date; orphanCutoff: Date; limit: number },
): Promise<RepositoryRow[]> {
  return db
    .select()
    .from(R)
    .where(
      and(
        sql`${R.chatId} is not null`,
        sql`(${R.updatedAt} < ${input.cutoff.toISOString()}::timestamptz or (${R.createdAt} < ${input.orphanCutoff.toISOString()}::timestamptz and not exists (
          select 1 from conversations c where c.id = ${R.chatId} and c.user_id = ${R.ownerId})))`,
      ),
    )
    .orderBy(asc(R.updatedAt))
    .limit(input.limit);
}

export async function deleteRepository(db: Queryable, id: string): Promise<void> {
  await db
    .delete(resourceGrants)
    .where(and(eq(resourceGrants.resourceType, REPOSITORY_RESOURCE), eq(resourceGrants.resourceId, id)));
  await db.delete(R).where(eq(R.id, id));
}

/** Inserts the item unless the same content is already in the repository; returns the row and which. */
export async function insertItemOnce(
  db: Queryable,
  row: NewItemRow,
): Promise<{ item: ItemRow; duplicate: boolean }> {
  const [created] = await db.insert(knowledgeItems).values(row).onConflictDoNothing().returning();
  if (created) return { item: created, duplicate: false };
  const existing = await db.query.knowledgeItems.findFirst({
    where: and(eq(knowledgeItems.repositoryId, row.repositoryId), eq(knowledgeItems.sha256, row.sha256)),
  });
  return { item: existing!, duplicate: true };
}

export function findItem(db: Queryable, id: string): Promise<ItemRow | undefined> {
  return db.query.knowledgeItems.findFirst({ where: eq(knowledgeItems.id, id) });
}

export function listItems(db: Queryable, repositoryId: string): Promise<ItemRow[]> {
  return db
    .select()
    .from(knowledgeItems)
    .where(eq(knowledgeItems.repositoryId, repositoryId))
    .orderBy(desc(knowledgeItems.createdAt), desc(knowledgeItems.id));
}

/** Failed items of every repository but conversations' private ones (the dead letters), most recent first, with their repository's name. */
export async function listFailedItems(
  db: Queryable,
  limit: number,
): Promise<(ItemRow & { repositoryName: string })[]> {
  const rows = await db
    .select({ item: knowledgeItems, repositoryName: R.name })
    .from(knowledgeItems)
    .innerJoin(R, eq(R.id, knowledgeItems.repositoryId))
    .where(and(eq(knowledgeItems.status, 'failed'), isNull(R.chatId)))
    .orderBy(desc(knowledgeItems.updatedAt), desc(knowledgeItems.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.item, repositoryName: r.repositoryName }));
}

/** Updates the item only while it is still on `generation` (a re-index makes older steps no-ops). */
export async function updateItem(
  db: Queryable,
  id: string,
  patch: Partial<NewItemRow>,
  generation?: number,
): Promise<ItemRow | undefined> {
  const [row] = await db
    .update(knowledgeItems)
    .set({ ...patch, updatedAt: new Date() })
    .where(
      and(
        eq(knowledgeItems.id, id),
        generation === undefined ? undefined : eq(knowledgeItems.generation, generation),
      ),
    )
    .returning();
  return row;
}

export async function deleteItem(db: Queryable, id: string): Promise<void> {
  await db.delete(knowledgeItems).where(eq(knowledgeItems.id, id));
}

export interface NewChunk {
  text: string;
  location: ChunkLocation;
  tokenCount: number;
}

/** The chunks of (item, generation), replaced as a whole: a re-run of the step leaves exactly one set. */
export async function replaceChunks(
  db: Queryable,
  item: { id: string; repositoryId: string; generation: number; textSearchConfig: string },
  chunks: NewChunk[],
): Promise<void> {
  await db
    .delete(knowledgeChunks)
    .where(and(eq(knowledgeChunks.itemId, item.id), eq(knowledgeChunks.generation, item.generation)));
  for (let i = 0; i < chunks.length; i += 500) {
    await db.insert(knowledgeChunks).values(
      chunks.slice(i, i + 500).map((c, j) => ({
        itemId: item.id,
        repositoryId: item.repositoryId,
        generation: item.generation,
        ordinal: i + j,
        text: c.text,
        location: c.location,
        tokenCount: c.tokenCount,
        textSearchConfig: item.textSearchConfig,
      })),
    );
  }
}

export function pendingChunks(
  db: Queryable,
  itemId: string,
  generation: number,
  limit: number,
): Promise<{ id: string; text: string }[]> {
  return db
    .select({ id: knowledgeChunks.id, text: knowledgeChunks.text })
    .from(knowledgeChunks)
    .where(
      and(
        eq(knowledgeChunks.itemId, itemId),
        eq(knowledgeChunks.generation, generation),
        isNull(knowledgeChunks.embedding),
      ),
    )
    .orderBy(asc(knowledgeChunks.ordinal))
    .limit(limit);
}

export async function countChunks(
  db: Queryable,
  itemId: string,
  generation: number,
): Promise<{ total: number; embedded: number }> {
  const [row] = await db
    .select({
      total: count(),
      embedded: sql<number>`count(${knowledgeChunks.embedding})::int`,
    })
    .from(knowledgeChunks)
    .where(and(eq(knowledgeChunks.itemId, itemId), eq(knowledgeChunks.generation, generation)));
  return { total: Number(row?.total ?? 0), embedded: Number(row?.embedded ?? 0) };
}

/** Stores vectors for chunks in one statement. */
export async function setEmbeddings(
  db: Queryable,
  rows: { id: string; vector: number[] }[],
  dims: number,
): Promise<void> {
  if (rows.length === 0) return;
  const ids = `{${rows.map((r) => r.id).join(',')}}`;
  const vectors = `{${rows.map((r) => `"[${r.vector.join(',')}]"`).join(',')}}`;
  await db.execute(sql`
    update knowledge_chunks c set embedding = v.e::vector, dims = ${dims}
    from (select unnest(${ids}::uuid[]) as id, unnest(${vectors}::text[]) as e) v
    where c.id = v.id`);
}

/**
 * Makes `generation` the one search reads, in one transaction: the item switches, then the chunks of every
 * other generation go. Returns false when the item moved on to a newer generation meanwhile.
 */
export async function publishGeneration(
  db: Queryable,
  itemId: string,
  generation: number,
  stats: Record<string, unknown>,
): Promise<boolean> {
  const row = await updateItem(
    db,
    itemId,
    {
      publishedGeneration: generation,
      status: 'ready',
      stage: 'ready',
      error: null,
      stats,
    },
    generation,
  );
  if (!row) return false;
  await db
    .delete(knowledgeChunks)
    .where(and(eq(knowledgeChunks.itemId, itemId), ne(knowledgeChunks.generation, generation)));
  return true;
}

/**
 * Items a crashed process left mid-way: queued or processing and untouched for `staleMs` (not those
 * waiting, embedded, for a change of embedding model to finish).
 */
export function staleItems(db: Queryable, staleMs: number, limit: number): Promise<ItemRow[]> {
  return db
    .select()
    .from(knowledgeItems)
    .where(
      and(
        inArray(knowledgeItems.status, ['queued', 'processing']),
        ne(knowledgeItems.stage, 'waiting'),
        sql`${knowledgeItems.updatedAt} < now() - make_interval(secs => ${staleMs / 1000})`,
      ),
    )
    .orderBy(asc(knowledgeItems.updatedAt))
    .limit(limit);
}
