/**
 * Knowledge repositories: create and share repositories, add sources (upload, URL, pasted text), follow and
 * retry their indexing, search them. Reading needs knowledge:use (+ scope knowledge:read for tokens) and
 * access to the repository, checked in SQL; changing needs knowledge:manage (+ knowledge:write) and
 * ownership (or administrator). Indexing runs in jobs (knowledge.pipeline.ts, workers/jobs/knowledge-*.job.ts).
 */
import type { z } from 'zod';
import type { DocumentExtractor } from '../../extract/extractor';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import type { ObjectStores } from '../../lib/object-store';
import { parseInput } from '../../lib/validate';
import { cleanFilename } from '../attachments/attachments.service';
import type { AuditService } from '../audit/audit.service';
import type { RolesService } from '../roles/roles.service';
import type { SettingsService } from '../settings/settings.service';
import { itemNotFound, MANAGE, notFound, readCheck, writeCheck } from './knowledge.checks';
import { type Embedder, embeddingTarget, listEmbeddingModels } from './knowledge.embed';
import { sniffForKnowledge } from './knowledge.extract';
import { searchKnowledge } from './knowledge.query';
import { enqueueIngest, type KnowledgeJobs } from './knowledge.queue';
import { settleReembed } from './knowledge.reembed';
import {
  deleteItem,
  findItem,
  type ItemRow,
  insertRepository,
  listItems,
  listReadableRepositories,
  type RepositoryRow,
  updateItem,
  updateRepository,
} from './knowledge.repo';
import {
  AddTextInput,
  AddUrlInput,
  ChangeEmbeddingInput,
  CreateRepositoryInput,
  type ItemView,
  type RepositoryView,
  type SearchQuery,
  type SearchResult,
  UpdateAccessInput,
} from './knowledge.schemas';
import type { Reranker } from './knowledge.search';
import { addSource, deleteStoredOriginal, removeRepository } from './knowledge.sources';
import { fetchUrlSource, filenameOfUrl } from './knowledge.url';
import { toItemView, toRepositoryViews } from './knowledge.views';

export interface KnowledgeDeps {
  audit: AuditService;
  roles: RolesService;
  settings: SettingsService;
  stores: ObjectStores;
  extractor: DocumentExtractor;
  /** The embedder of a repository (lexical, or its registry model through the provider factory). */
  embedderFor(ctx: Ctx, repo: RepositoryRow): Promise<Embedder>;
  jobs(): KnowledgeJobs;
  /** The rerank pass as configured now (knowledge.rerank.ts); none = the fused order. */
  rerankerFor?(ctx: Ctx): Promise<Reranker | undefined>;
}

export class KnowledgeService {
  constructor(private readonly deps: KnowledgeDeps) {}

  async listRepositories(ctx: Ctx): Promise<RepositoryView[]> {
    readCheck(ctx);
    return this.views(ctx, await listReadableRepositories(ctx.db, ctx.actor));
  }

  /**
   * For attaching repositories to a chat: every id must be readable (else 404 naming `field`); answers
   * them with their indexing state.
   */
  async requireReadable(ctx: Ctx, ids: string[], field: string): Promise<RepositoryView[]> {
    readCheck(ctx);
    const unique = [...new Set(ids)];
    const rows = unique.length ? await listReadableRepositories(ctx.db, ctx.actor, unique) : [];
    if (rows.length !== unique.length)
      throw new AppError('not_found:knowledge', 'No such repository', {
        details: { fields: { [field]: 'not a repository you may read' } },
      });
    return this.views(ctx, rows);
  }

  async getRepository(ctx: Ctx, id: string): Promise<RepositoryView> {
    readCheck(ctx);
    const [view] = await this.views(ctx, [await this.readable(ctx, id)]);
    return view!;
  }

  /** Embedding models a new repository may use (the lexical embedder is always offered besides). */
  async embeddingModels(ctx: Ctx): Promise<{ id: string; name: string; dimensions: number }[]> {
    readCheck(ctx);
    return (await listEmbeddingModels(ctx.db)).map((m) => ({
      id: m.id,
      name: m.displayName,
      dimensions: m.dimensions ?? 0,
    }));
  }

  async createRepository(ctx: Ctx, input: z.input<typeof CreateRepositoryInput>): Promise<RepositoryView> {
    writeCheck(ctx);
    const data = parseInput(CreateRepositoryInput, input, 'knowledge');
    const target = await embeddingTarget(ctx.db, data.embeddingModelId);
    const row = await ctx.db.transaction(async (tx) => {
      const created = await insertRepository(tx, {
        name: data.name,
        description: data.description ?? '',
        ownerId: ctx.actor.id!,
        visibility: data.visibility ?? 'private',
        embeddingModelId: target.modelId,
        embeddingDimensions: target.dimensions,
        textSearchConfig: data.language ?? 'english',
      });
      await this.deps.audit.record(
        { ...ctx, db: tx },
        { action: 'knowledge.repository_create', targetType: 'repository', targetId: created.id },
      );
      return created;
    });
    return this.getRepository(ctx, row.id);
  }

  async updateAccess(
    ctx: Ctx,
    id: string,
    input: z.input<typeof UpdateAccessInput>,
  ): Promise<RepositoryView> {
    const repo = await this.manageable(ctx, id);
    const data = parseInput(UpdateAccessInput, input, 'knowledge');
    await this.deps.roles.setGrants(ctx, {
      type: 'repository',
      id: repo.id,
      manageCapability: MANAGE,
      grantees: {
        roles: data.visibility === 'roles' ? data.roles : [],
        userIds: data.visibility === 'users' ? data.userIds : [],
      },
    });
    await updateRepository(ctx.db, repo.id, { visibility: data.visibility });
    // Who may read it, before → after (the grants event lists the roles and people added and removed).
    if (data.visibility !== repo.visibility)
      await this.deps.audit.record(ctx, {
        action: 'knowledge.repository_access',
        targetType: 'repository',
        targetId: repo.id,
        details: { visibility: { from: repo.visibility, to: data.visibility } },
      });
    return this.getRepository(ctx, id);
  }

  /**
   * Changes the embedding model: every item re-embeds into a new generation in the background while the
   * old index keeps answering; when all are done one transaction swaps model and generations
   * (knowledge.reembed.ts). Choosing the current model again abandons a change under way.
   */
  async changeEmbeddingModel(
    ctx: Ctx,
    id: string,
    input: z.input<typeof ChangeEmbeddingInput>,
  ): Promise<RepositoryView> {
    const repo = await this.manageable(ctx, id);
    const data = parseInput(ChangeEmbeddingInput, input, 'knowledge');
    const target = await embeddingTarget(ctx.db, data.embeddingModelId);
    const same = target.modelId === repo.embeddingModelId;
    if (same && !repo.pendingEmbedding) return this.getRepository(ctx, id);
    await updateRepository(ctx.db, repo.id, { pendingEmbedding: same ? null : target, reembedError: null });
    for (const item of await listItems(ctx.db, repo.id)) await this.requeue(ctx, item);
    await settleReembed(ctx.db, repo.id); // an empty repository swaps at once
    await this.deps.audit.record(ctx, {
      action: 'knowledge.repository_reembed',
      targetType: 'repository',
      targetId: repo.id,
      // Before → after (issue 15.11); null is the built-in lexical embedder.
      details: { embeddingModelId: { from: repo.embeddingModelId, to: target.modelId } },
    });
    return this.getRepository(ctx, id);
  }

  async deleteRepository(ctx: Ctx, id: string): Promise<void> {
    const repo = await this.manageable(ctx, id);
    await removeRepository(this.deps.stores, ctx.db, repo.id);
    await this.deps.audit.record(ctx, {
      action: 'knowledge.repository_delete',
      targetType: 'repository',
      targetId: repo.id,
    });
  }

  async listItems(ctx: Ctx, repositoryId: string): Promise<ItemView[]> {
    readCheck(ctx);
    const repo = await this.readable(ctx, repositoryId);
    return (await listItems(ctx.db, repo.id)).map(toItemView);
  }

  async getItem(ctx: Ctx, repositoryId: string, itemId: string): Promise<ItemView> {
    readCheck(ctx);
    const repo = await this.readable(ctx, repositoryId);
    return toItemView(await this.itemOf(ctx, repo, itemId));
  }

  /** An uploaded file: refused at once when empty, too large or of a type we cannot read. */
  async addFile(ctx: Ctx, repositoryId: string, file: { filename: string; bytes: Uint8Array }) {
    const repo = await this.manageable(ctx, repositoryId);
    const filename = cleanFilename(file.filename);
    const { mediaType } = await sniffForKnowledge(this.deps.extractor, file.bytes, filename);
    return addSource(this.deps, ctx, repo, {
      sourceKind: 'upload',
      title: filename,
      filename,
      mediaType,
      bytes: file.bytes,
    });
  }

  /** A URL, fetched now (SSRF-guarded, size-capped), so a refused or unreachable URL is answered at once. */
  async addUrl(ctx: Ctx, repositoryId: string, input: z.input<typeof AddUrlInput>) {
    const repo = await this.manageable(ctx, repositoryId);
    const { url } = parseInput(AddUrlInput, input, 'knowledge');
    const allowedHosts = ((await this.deps.settings.get(ctx, 'knowledge.url_allowed_hosts')) ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    const fetched = await fetchUrlSource(url, { allowedHosts });
    const filename = filenameOfUrl(fetched.url, fetched.contentType);
    const { mediaType } = await sniffForKnowledge(this.deps.extractor, fetched.bytes, filename);
    return addSource(this.deps, ctx, repo, {
      sourceKind: 'url',
      title: filename,
      filename,
      sourceUrl: fetched.url,
      mediaType,
      bytes: fetched.bytes,
    });
  }

  async addText(ctx: Ctx, repositoryId: string, input: z.input<typeof AddTextInput>) {
    const repo = await this.manageable(ctx, repositoryId);
    const data = parseInput(AddTextInput, input, 'knowledge');
    return addSource(this.deps, ctx, repo, {
      sourceKind: 'text',
      title: data.title,
      filename: null,
      mediaType: 'text/markdown',
      bytes: new TextEncoder().encode(data.text),
    });
  }

  /** The stored original of an item (where a citation leads), for readers of its repository. */
  async itemFile(ctx: Ctx, repositoryId: string, itemId: string) {
    readCheck(ctx);
    const item = await this.itemOf(ctx, await this.readable(ctx, repositoryId), itemId);
    const store = item.storage ? this.deps.stores[item.storage] : null;
    const bytes = store && item.storageKey ? await store.get(item.storageKey) : null;
    if (!bytes) throw new AppError('not_found:knowledge', 'The original of this item is no longer stored');
    const mediaType = item.mediaType ?? 'application/octet-stream';
    return { filename: item.filename ?? `${item.title}.md`, mediaType, bytes };
  }

  async removeItem(ctx: Ctx, repositoryId: string, itemId: string): Promise<void> {
    const repo = await this.manageable(ctx, repositoryId);
    const item = await this.itemOf(ctx, repo, itemId);
    await deleteStoredOriginal(this.deps.stores, item);
    await deleteItem(ctx.db, item.id);
  }

  /**
   * Indexes the item again into a new generation (retry after a failure, or re-index after a change of
   * embedder); the published generation keeps answering searches until the new one is published.
   */
  async reindexItem(ctx: Ctx, repositoryId: string, itemId: string): Promise<ItemView> {
    const repo = await this.manageable(ctx, repositoryId);
    return toItemView(await this.requeue(ctx, await this.itemOf(ctx, repo, itemId)));
  }

  /** Queues a new generation of the item. No access check: callers check (owner, or the dead-letter admin). */
  async requeue(ctx: Ctx, item: ItemRow): Promise<ItemRow> {
    const row = await updateItem(ctx.db, item.id, {
      generation: item.generation + 1,
      status: 'queued',
      stage: 'queued',
      progressDone: 0,
      progressTotal: 0,
      error: null,
    });
    await this.enqueue(row!);
    return row!;
  }

  /** Hybrid search across the readable repositories (or these of them). */
  search(
    ctx: Ctx,
    input: z.input<typeof SearchQuery> & { repositoryIds?: string[] },
  ): Promise<(SearchResult & { text: string })[]> {
    return searchKnowledge(this.deps, ctx, input);
  }

  private async enqueue(item: ItemRow): Promise<void> {
    await enqueueIngest(this.deps.jobs(), item);
  }

  private async readable(ctx: Ctx, id: string): Promise<RepositoryRow & { canManage: boolean }> {
    const [repo] = await listReadableRepositories(ctx.db, ctx.actor, [id]);
    if (!repo) throw notFound();
    return repo;
  }

  /** Readable and managed by the actor; a reader who may not manage gets 403, anyone else 404. */
  private async manageable(ctx: Ctx, id: string): Promise<RepositoryRow> {
    writeCheck(ctx);
    const repo = await this.readable(ctx, id);
    if (!repo.canManage)
      throw new AppError('forbidden:knowledge', 'Only the owner of this repository can change it');
    return repo;
  }

  private async itemOf(ctx: Ctx, repo: RepositoryRow, itemId: string): Promise<ItemRow> {
    const item = await findItem(ctx.db, itemId);
    if (!item || item.repositoryId !== repo.id) throw itemNotFound();
    return item;
  }

  private views(
    ctx: Ctx,
    rows: (RepositoryRow & { canManage: boolean; itemCount?: number; itemsIndexing?: number })[],
  ): Promise<RepositoryView[]> {
    return toRepositoryViews(ctx.db, rows);
  }
}
