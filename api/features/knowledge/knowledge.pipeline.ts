/**
 * The indexing pipeline, as two idempotent steps keyed by (item, generation):
 *   ingest: read the original → extract (with locations) → OCR pages without text and images → chunk →
 *           replace the chunks of this generation in one transaction → queue `embed`;
 *   embed:  embed the chunks still without a vector, in batches (retries with backoff) → publish the
 *           generation atomically (the item switches, older generations' chunks go, in one transaction).
 * Running a step twice, or after a crash part-way, leaves the same result: chunks are replaced as a set,
 * embedding continues from the first chunk without a vector, and publishing is a conditional UPDATE.
 * A step for an older generation than the item's current one does nothing.
 */
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { type ChunkLocation, knowledgeRepositories } from '../../../db/schema/index';
import type { DocumentExtractor } from '../../extract/extractor';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import type { ObjectStores } from '../../lib/object-store';
import { normalizeText } from '../../lib/text';
import { chunkBlocks, type TextBlock } from './knowledge.chunk';
import { EMBED_BATCH, type Embedder } from './knowledge.embed';
import { extractForKnowledge } from './knowledge.extract';
import { OCR_ENGINE, ocr } from './knowledge.ocr';
import { KNOWLEDGE_EMBED, KNOWLEDGE_INGEST, type KnowledgeJobs } from './knowledge.queue';
import { embeddingRepository, settleReembed } from './knowledge.reembed';
import {
  countChunks,
  findItem,
  type ItemRow,
  pendingChunks,
  publishGeneration,
  type RepositoryRow,
  replaceChunks,
  setEmbeddings,
  staleItems,
  updateItem,
} from './knowledge.repo';
import { MARK_CLOSE, MARK_OPEN } from './knowledge.search';
import type { TextractOcr } from './knowledge.textract';

export interface StepInput {
  itemId: string;
  generation: number;
}

export interface PipelineDeps {
  stores: ObjectStores;
  extractor: DocumentExtractor;
  embedderFor(ctx: Ctx, repo: RepositoryRow): Promise<Embedder>;
  jobs(): KnowledgeJobs;
  /** Amazon Textract when configured (TEXTRACT_REGION); the offline tesseract otherwise. */
  textract?: TextractOcr | null;
}

/** Items untouched this long while queued or processing are re-queued by the resume job. */
export const STALE_MS = 10 * 60_000;
/** After this many resumes an item is failed instead of re-queued again. */
const MAX_RESUMES = 3;

/** The one normaliser (NUL, lone surrogates, NFC), then no other control characters and no snippet marks. */
export function normalizeChunkText(text: string): string {
  return normalizeText(text)
    .replace(/\r\n?/g, '\n')
    .replace(/\p{Cc}/gu, (ch) => (ch === '\n' || ch === '\t' ? ch : ''))
    .replaceAll(MARK_OPEN, '')
    .replaceAll(MARK_CLOSE, '');
}

async function repositoryOf(db: Queryable, id: string): Promise<RepositoryRow | undefined> {
  return db.query.knowledgeRepositories.findFirst({ where: eq(knowledgeRepositories.id, id) });
}

/** The item when this step is still current for it. */
async function current(db: Queryable, input: StepInput): Promise<ItemRow | null> {
  const item = await findItem(db, input.itemId);
  if (!item || item.generation !== input.generation || item.status === 'failed') return null;
  if (item.status === 'ready' && item.publishedGeneration === input.generation) return null;
  return item;
}

export class KnowledgePipeline {
  constructor(private readonly deps: PipelineDeps) {}

  /** The engine that reads pages without text here. */
  get ocrEngine(): string {
    return this.deps.textract?.engine ?? OCR_ENGINE;
  }

  async ingest(ctx: Ctx, input: StepInput): Promise<{ chunks: number } | { skipped: true }> {
    const item = await current(ctx.db, input);
    if (!item) return { skipped: true };
    const repo = await repositoryOf(ctx.db, item.repositoryId);
    if (!repo) return { skipped: true };
    const progress = (patch: Partial<ItemRow>) => updateItem(ctx.db, item.id, patch, input.generation);
    await progress({ status: 'processing', stage: 'extracting', progressDone: 0, progressTotal: 0 });
    const store = item.storage ? this.deps.stores[item.storage] : null;
    const bytes = store && item.storageKey ? await store.get(item.storageKey) : null;
    if (!bytes) throw new AppError('not_found:knowledge', 'The original file is no longer stored');
    const filename = item.filename ?? `${item.title}.md`;
    const extraction = await extractForKnowledge(this.deps.extractor, bytes, filename);
    const blocks: TextBlock[] = [...extraction.blocks];
    const ocrTargets = extraction.image ? [1] : extraction.pagesWithoutText;
    let ocrPages = 0;
    const ocrEngines = new Set<string>();
    if (ocrTargets.length > 0) {
      await progress({ stage: 'ocr', progressDone: 0, progressTotal: ocrTargets.length });
      const pages = await ocr({
        kind: extraction.image ? 'image' : 'pdf',
        bytes,
        mediaType: extraction.mediaType,
        textract: this.deps.textract,
        pages: ocrTargets,
        onPage: async (_page, done) => {
          await progress({ progressDone: done });
        },
      });
      for (const p of pages) {
        const text = p.text.trim();
        if (!text) continue;
        ocrPages++;
        ocrEngines.add(p.engine);
        const location: ChunkLocation = extraction.image
          ? { ocr: p.engine }
          : { page: p.page, ocr: p.engine };
        blocks.push({ text, location });
      }
      blocks.sort((a, b) => (a.location.page ?? 0) - (b.location.page ?? 0));
    }
    await progress({ stage: 'chunking', progressDone: 0, progressTotal: 0 });
    const chunks = chunkBlocks(blocks.map((b) => ({ ...b, text: normalizeChunkText(b.text) })));
    if (chunks.length === 0) {
      throw new AppError(
        'validation:knowledge',
        ocrTargets.length
          ? `No text could be read: ${ocrTargets.length} page(s) without a text layer and OCR found none`
          : 'No text could be read from this file',
      );
    }
    const pageCount = new Set(blocks.map((b) => b.location.page).filter((p) => p !== undefined)).size;
    const stats = {
      pages: pageCount || undefined,
      pagesWithoutText: extraction.pagesWithoutText.length,
      ocrPages,
      ocrEngine: ocrTargets.length ? [...ocrEngines].join(', ') || this.ocrEngine : undefined,
      chunks: chunks.length,
    };
    await ctx.db.transaction(async (tx) => {
      // One writer per item at a time (a resumed job and a late original cannot interleave).
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${item.id}))`);
      await replaceChunks(
        tx,
        { ...item, textSearchConfig: repo.textSearchConfig, generation: input.generation },
        chunks,
      );
      await updateItem(
        tx,
        item.id,
        { stage: 'embedding', progressDone: 0, progressTotal: chunks.length, stats },
        input.generation,
      );
    });
    await this.deps.jobs().send(KNOWLEDGE_EMBED, input, { singletonKey: `${item.id}:${input.generation}` });
    return { chunks: chunks.length };
  }

  async embed(ctx: Ctx, input: StepInput): Promise<{ embedded: number } | { skipped: true }> {
    const item = await current(ctx.db, input);
    if (!item) return { skipped: true };
    const serving = await repositoryOf(ctx.db, item.repositoryId);
    if (!serving) return { skipped: true };
    // During a change of embedding model, new generations are embedded with the new one and wait.
    const repo = embeddingRepository(serving);
    const embedder = await this.deps.embedderFor(ctx, repo);
    if (embedder.dimensions !== repo.embeddingDimensions)
      throw new AppError(
        'validation:knowledge',
        `The embedding model gives ${embedder.dimensions} dimensions; the repository holds ${repo.embeddingDimensions}`,
      );
    let { total, embedded } = await countChunks(ctx.db, item.id, input.generation);
    await updateItem(
      ctx.db,
      item.id,
      { status: 'processing', stage: 'embedding', progressDone: embedded, progressTotal: total },
      input.generation,
    );
    for (;;) {
      const batch = await pendingChunks(ctx.db, item.id, input.generation, EMBED_BATCH);
      if (batch.length === 0) break;
      const vectors = await embedder.embed(
        batch.map((c) => c.text),
        { userId: item.createdBy, requestId: null },
      );
      await setEmbeddings(
        ctx.db,
        batch.map((c, i) => ({ id: c.id, vector: vectors[i] as number[] })),
        embedder.dimensions,
      );
      embedded += batch.length;
      const moved = await updateItem(ctx.db, item.id, { progressDone: embedded }, input.generation);
      if (!moved) return { skipped: true };
    }
    ({ total } = await countChunks(ctx.db, item.id, input.generation));
    const stats = { ...item.stats, chunks: total, embedder: embedder.name, resumes: undefined };
    if (serving.pendingEmbedding) {
      await updateItem(ctx.db, item.id, { stage: 'waiting', stats }, input.generation);
      await settleReembed(ctx.db, serving.id);
      return { embedded };
    }
    await ctx.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${item.id}))`);
      await publishGeneration(tx, item.id, input.generation, stats);
    });
    return { embedded };
  }

  /** Marks the item failed with a reason people can act on (only while `generation` is current). */
  async fail(ctx: Ctx, input: StepInput, err: unknown): Promise<void> {
    const reason =
      err instanceof AppError && err.status < 500
        ? err.message
        : `Indexing failed: ${(err as Error)?.message ?? String(err)}`;
    const failed = await updateItem(
      ctx.db,
      input.itemId,
      { status: 'failed', stage: 'failed', error: reason },
      input.generation,
    );
    // A failure during a change of embedding model may be the last item that change waited for.
    if (failed) await settleReembed(ctx.db, failed.repositoryId);
  }

  /** Re-queues items a crashed process left mid-way; fails those already resumed too often. */
  async resumeStale(ctx: Ctx, staleMs = STALE_MS): Promise<number> {
    const items = await staleItems(ctx.db, staleMs, 100);
    for (const item of items) {
      const resumes = Number(item.stats.resumes ?? 0) + 1;
      const input = { itemId: item.id, generation: item.generation };
      if (resumes > MAX_RESUMES) {
        await this.fail(
          ctx,
          input,
          new AppError('unavailable:knowledge', 'indexing was interrupted repeatedly'),
        );
        continue;
      }
      await updateItem(ctx.db, item.id, { stats: { ...item.stats, resumes } }, item.generation);
      const job = item.stage === 'embedding' ? KNOWLEDGE_EMBED : KNOWLEDGE_INGEST;
      await this.deps.jobs().send(job, input, { singletonKey: `${item.id}:${item.generation}:r${resumes}` });
    }
    return items.length;
  }
}
