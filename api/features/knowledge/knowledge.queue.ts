/** The pg-boss jobs of the indexing pipeline, and the one call that queues a generation of an item. */
import type { ItemRow } from './knowledge.repo';

export const KNOWLEDGE_INGEST = 'knowledge-ingest';
export const KNOWLEDGE_EMBED = 'knowledge-embed';

export interface KnowledgeJobs {
  send(name: string, data: object, options?: { singletonKey?: string }): Promise<string | null>;
}

/** Queues the ingest step of the item's current generation (once per generation). */
export async function enqueueIngest(jobs: KnowledgeJobs, item: Pick<ItemRow, 'id' | 'generation'>) {
  await jobs.send(
    KNOWLEDGE_INGEST,
    { itemId: item.id, generation: item.generation },
    { singletonKey: `${item.id}:${item.generation}` },
  );
}
