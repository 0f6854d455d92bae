/**
 * Changing a repository's embedding model (docs/decisions/024): while `pending_embedding` is set, the embed
 * step embeds new generations with the new model and leaves them `waiting` instead of publishing, so search
 * keeps reading the old generations with the old model. Each time an item is done (waiting or failed) the
 * repository is settled, under a per-repository lock:
 * - items still queued or being indexed → nothing yet;
 * - every item waiting → one transaction swaps: the repository takes the new model, every item publishes
 *   its new generation, the old generations' chunks go;
 * - some item failed → the change is abandoned: the old model and generations stay (the failed item keeps
 *   its published generation and its reason), the new generations' chunks go, `reembed_error` says why.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { knowledgeItems, knowledgeRepositories } from '../../../db/schema/index';
import type { RepositoryRow } from './knowledge.repo';

export type Settled = 'none' | 'busy' | 'swapped' | 'abandoned';

/** The repository as the embed step sees it: with the pending model in place of the serving one. */
export function embeddingRepository(repo: RepositoryRow): RepositoryRow {
  return repo.pendingEmbedding
    ? {
        ...repo,
        embeddingModelId: repo.pendingEmbedding.modelId,
        embeddingDimensions: repo.pendingEmbedding.dimensions,
      }
    : repo;
}

const I = knowledgeItems;

export async function settleReembed(db: Queryable, repositoryId: string): Promise<Settled> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`reembed:${repositoryId}`}))`);
    const repo = await tx.query.knowledgeRepositories.findFirst({
      where: eq(knowledgeRepositories.id, repositoryId),
    });
    if (!repo?.pendingEmbedding) return 'none';
    const [counts] = await tx
      .select({
        busy: sql<number>`count(*) filter (where ${I.status} in ('queued', 'processing') and ${I.stage} <> 'waiting')::int`,
        failed: sql<number>`count(*) filter (where ${I.status} = 'failed')::int`,
        reason: sql<string | null>`min(${I.error}) filter (where ${I.status} = 'failed')`,
      })
      .from(I)
      .where(eq(I.repositoryId, repositoryId));
    if (Number(counts?.busy ?? 0) > 0) return 'busy';
    const waiting = and(eq(I.repositoryId, repositoryId), eq(I.stage, 'waiting'));
    const now = new Date();
    if (Number(counts?.failed ?? 0) > 0) {
      // Items that never had an index (added during the change) cannot fall back: they fail with a reason.
      await tx
        .update(I)
        .set({
          status: 'failed',
          stage: 'failed',
          error: 'The change of embedding model was abandoned; index this item again',
          updatedAt: now,
        })
        .where(and(waiting, sql`${I.publishedGeneration} is null`));
      await tx.update(I).set({ status: 'ready', stage: 'ready', error: null, updatedAt: now }).where(waiting);
      await dropUnpublished(tx, repositoryId);
      await tx
        .update(knowledgeRepositories)
        .set({
          pendingEmbedding: null,
          reembedError: `${counts!.failed} item(s) could not be embedded with the new model: ${counts!.reason ?? 'unknown error'}`,
          updatedAt: now,
        })
        .where(eq(knowledgeRepositories.id, repositoryId));
      return 'abandoned';
    }
    await tx
      .update(I)
      .set({
        publishedGeneration: sql`${I.generation}`,
        status: 'ready',
        stage: 'ready',
        error: null,
        updatedAt: now,
      })
      .where(waiting);
    await dropUnpublished(tx, repositoryId);
    await tx
      .update(knowledgeRepositories)
      .set({
        embeddingModelId: repo.pendingEmbedding.modelId,
        embeddingDimensions: repo.pendingEmbedding.dimensions,
        pendingEmbedding: null,
        reembedError: null,
        updatedAt: now,
      })
      .where(eq(knowledgeRepositories.id, repositoryId));
    return 'swapped';
  });
}

/** Deletes the chunks of every generation of the repository's items other than the published one. */
async function dropUnpublished(db: Queryable, repositoryId: string): Promise<void> {
  await db.execute(sql`
    delete from knowledge_chunks c using knowledge_items i
    where c.item_id = i.id and i.repository_id = ${repositoryId}
      and c.generation is distinct from i.published_generation`);
}
