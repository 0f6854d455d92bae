/**
 * Adding a source to a repository: the original is stored (object store, key `knowledge/<repo>/<item>`)
 * with its SHA-256, so the same content added again is recognised and not indexed twice, and the ingest
 * step is queued; removing deletes the originals with the rows. No access check here: callers (the
 * knowledge service, chat attachments) check first.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../../../db/client';
import type { ItemSource } from '../../../db/schema/index';
import type { Ctx } from '../../lib/ctx';
import type { ObjectStores } from '../../lib/object-store';
import { enqueueIngest, type KnowledgeJobs } from './knowledge.queue';
import {
  deleteItem,
  deleteRepository,
  type ItemRow,
  insertItemOnce,
  listItems,
  type RepositoryRow,
} from './knowledge.repo';
import type { ItemView } from './knowledge.schemas';
import { toItemView } from './knowledge.views';

export interface NewSource {
  sourceKind: ItemSource;
  title: string;
  filename: string | null;
  sourceUrl?: string;
  mediaType: string;
  bytes: Uint8Array;
}

export async function addSource(
  deps: { stores: ObjectStores; jobs(): KnowledgeJobs },
  ctx: Ctx,
  repo: Pick<RepositoryRow, 'id'>,
  source: NewSource,
): Promise<{ id: string; status: ItemRow['status']; duplicate: boolean; item: ItemView }> {
  const sha256 = createHash('sha256').update(source.bytes).digest('hex');
  const store = deps.stores.primary;
  const id = crypto.randomUUID();
  const storageKey = `knowledge/${repo.id}/${id}`;
  const { item, duplicate } = await insertItemOnce(ctx.db, {
    id,
    repositoryId: repo.id,
    sourceKind: source.sourceKind,
    title: source.title,
    filename: source.filename,
    sourceUrl: source.sourceUrl ?? null,
    mediaType: source.mediaType,
    storage: store.driver,
    storageKey,
    sha256,
    sizeBytes: source.bytes.byteLength,
    createdBy: ctx.actor.id,
  });
  if (!duplicate) {
    try {
      await store.put(storageKey, source.bytes, { contentType: source.mediaType });
    } catch (err) {
      await deleteItem(ctx.db, item.id);
      throw err;
    }
    await enqueueIngest(deps.jobs(), item);
    ctx.log.info(
      { itemId: item.id, repositoryId: repo.id, kind: source.sourceKind },
      'knowledge item queued',
    );
  }
  return { id: item.id, status: item.status, duplicate, item: toItemView(item) };
}

/** Deletes the stored original of an item (the row is the caller's). */
export async function deleteStoredOriginal(stores: ObjectStores, item: ItemRow): Promise<void> {
  const store = item.storage ? stores[item.storage] : null;
  if (store && item.storageKey) await store.delete(item.storageKey);
}

/** Deletes a repository: its items' originals, then the rows (items and chunks cascade). */
export async function removeRepository(stores: ObjectStores, db: Queryable, id: string): Promise<void> {
  for (const item of await listItems(db, id)) await deleteStoredOriginal(stores, item);
  await deleteRepository(db, id);
}
