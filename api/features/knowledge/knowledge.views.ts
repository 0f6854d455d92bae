/** Rows as the API answers them: items and repositories (with access, model name and indexing counts). */
import type { Queryable } from '../../../db/client';
import { findEmbeddingModel, lexicalEmbedder } from './knowledge.embed';
import { grantsOfRepositories, type ItemRow, type RepositoryRow } from './knowledge.repo';
import type { ItemView, RepositoryView } from './knowledge.schemas';

const iso = (d: Date) => d.toISOString();

export function toItemView(row: ItemRow): ItemView {
  return {
    id: row.id,
    repositoryId: row.repositoryId,
    title: row.title,
    sourceKind: row.sourceKind,
    sourceUrl: row.sourceUrl,
    filename: row.filename,
    mediaType: row.mediaType,
    size: row.sizeBytes,
    status: row.status,
    stage: row.stage,
    progress: { done: row.progressDone, total: row.progressTotal },
    error: row.error,
    generation: row.generation,
    publishedGeneration: row.publishedGeneration,
    stats: row.stats,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export async function toRepositoryViews(
  db: Queryable,
  rows: (RepositoryRow & { canManage: boolean; itemCount?: number; itemsIndexing?: number })[],
): Promise<RepositoryView[]> {
  const grants = await grantsOfRepositories(
    db,
    rows.map((r) => r.id),
  );
  const models = new Map<string, string>();
  for (const r of rows)
    if (r.embeddingModelId && !models.has(r.embeddingModelId))
      models.set(
        r.embeddingModelId,
        (await findEmbeddingModel(db, r.embeddingModelId))?.displayName ?? 'unknown',
      );
  return rows.map((r) => {
    const mine = grants.filter((g) => g.repositoryId === r.id);
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      visibility: r.visibility,
      ownerId: r.ownerId,
      embeddingModel: {
        id: r.embeddingModelId,
        name: r.embeddingModelId ? (models.get(r.embeddingModelId) ?? 'unknown') : lexicalEmbedder.name,
        dimensions: r.embeddingDimensions,
      },
      language: r.textSearchConfig,
      access: {
        roles: mine.flatMap((g) => (g.roleName ? [g.roleName] : [])),
        userIds: mine.flatMap((g) => (g.userId ? [g.userId] : [])),
      },
      canManage: r.canManage,
      itemCount: r.itemCount ?? 0,
      itemsIndexing: r.itemsIndexing ?? 0,
      reembedding: r.pendingEmbedding
        ? { id: r.pendingEmbedding.modelId, dimensions: r.pendingEmbedding.dimensions }
        : null,
      reembedError: r.reembedError,
      createdAt: iso(r.createdAt),
      updatedAt: iso(r.updatedAt),
    };
  });
}
