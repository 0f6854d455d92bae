/**
 * Knowledge repositories: create and share repositories, add sources (upload, URL, pasted text), follow and
 * retry their indexing, search them. Reading needs knowledge:use (+ scope knowledge:read for tokens) and
 * access to the repository, checked in SQL; changing needs knowledge:manage (+ knowledge:write) and
 * ownership (or administrator). Indexing runs in jobs (knowledge.pipeline.ts, workers/jobs/knowledge-*.job.ts).
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { ItemSource } from '../../../db/schema/index';
import type { DocumentExtractor } from '../../extract/extractor';
import { assertCan, assertSignedIn } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import type { ObjectStores } from '../../lib/object-store';
import { assertScope } from '../../lib/scopes';
import { parseInput } from '../../lib/validate';
import { cleanFilename } from '../attachments/attachments.service';
import type { AuditService } from '../audit/audit.service';
import type { RolesService } from '../roles/roles.service';
import type { SettingsService } from '../settings/settings.service';
import { type Embedder, findEmbeddingModel, lexicalEmbedder, listEmbeddingModels } from './knowledge.embed';
import { sniffForKnowledge } from './knowledge.extract';
import {
  deleteItem,
  deleteRepository,
  findItem,
  grantsOfRepositories,
  type ItemRow,
  insertItemOnce,
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
  CreateRepositoryInput,
  type ItemView,
  type RepositoryView,
  SearchQuery,
  type SearchResult,
  UpdateAccessInput,
} from './knowledge.schemas';
import { hybridSearch, type Reranker, TYPE_MEDIA } from './knowledge.search';
import { fetchUrlSource } from './knowledge.url';

export const KNOWLEDGE_INGEST = 'knowledge-ingest';
export const KNOWLEDGE_EMBED = 'knowledge-embed';
const USE = 'knowledge:use';
const MANAGE = 'knowledge:manage';

export interface KnowledgeJobs {
  send(name: string, data: object, options?: { singletonKey?: string }): Promise<string | null>;
}

export interface KnowledgeDeps {
  audit: AuditService;
  roles: RolesService;
  settings: SettingsService;
  stores: ObjectStores;
  extractor: DocumentExtractor;
  /** The embedder of a repository (lexical, or its registry model through the provider factory). */
  embedderFor(ctx: Ctx, repo: RepositoryRow): Promise<Embedder>;
  jobs(): KnowledgeJobs;
  reranker?: Reranker;
}

const notFound = () => new AppError('not_found:knowledge', 'No such repository');
const itemNotFound = () => new AppError('not_found:knowledge', 'No such item');
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

function readCheck(ctx: Ctx): void {
  assertCan(ctx.actor, USE);
  assertScope(ctx.actor, 'knowledge:read');
}

function writeCheck(ctx: Ctx): void {
  assertCan(ctx.actor, MANAGE);
  assertScope(ctx.actor, 'knowledge:write');
  assertSignedIn(ctx.actor);
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
    let dimensions = lexicalEmbedder.dimensions;
    if (data.embeddingModelId) {
      const model = await findEmbeddingModel(ctx.db, data.embeddingModelId);
      if (model?.kind !== 'embedding' || !model.active || !model.dimensions)
        throw new AppError('validation:knowledge', 'embeddingModelId is not an active embedding model', {
          details: { fields: { embeddingModelId: 'not an active embedding model' } },
        });
      dimensions = model.dimensions;
    }
    const row = await ctx.db.transaction(async (tx) => {
      const created = await insertRepository(tx, {
        name: data.name,
        description: data.description ?? '',
        ownerId: ctx.actor.id!,
        visibility: data.visibility ?? 'private',
        embeddingModelId: data.embeddingModelId ?? null,
        embeddingDimensions: dimensions,
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
    return this.getRepository(ctx, id);
  }

  async deleteRepository(ctx: Ctx, id: string): Promise<void> {
    const repo = await this.manageable(ctx, id);
    for (const item of await listItems(ctx.db, repo.id)) await this.deleteStored(item);
    await deleteRepository(ctx.db, repo.id);
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
    return this.addSource(ctx, repo, {
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
    return this.addSource(ctx, repo, {
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
    return this.addSource(ctx, repo, {
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
    await this.deleteStored(item);
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
  async search(
    ctx: Ctx,
    input: z.input<typeof SearchQuery> & { repositoryIds?: string[] },
  ): Promise<(SearchResult & { text: string })[]> {
    readCheck(ctx);
    const data = parseInput(SearchQuery, input, 'knowledge');
    const ids = input.repositoryIds;
    if (ids && ids.length === 0) return [];
    const repos = await listReadableRepositories(ctx.db, ctx.actor, ids);
    if (ids && ids.length === 1 && repos.length === 0) throw notFound();
    const mediaTypes = data.type
      ? data.type
          .split(',')
          .map((t) => t.trim().toLowerCase())
          .flatMap((t) => {
            const types = TYPE_MEDIA[t];
            if (!types)
              throw new AppError('validation:knowledge', `Unknown type ${t}`, {
                details: { fields: { type: `unknown type ${t}` } },
              });
            return types;
          })
      : undefined;
    const groups = new Map<string, { embedder: Embedder; repositoryIds: string[] }>();
    for (const repo of repos) {
      const key = `${repo.embeddingModelId ?? 'lexical'}:${repo.embeddingDimensions}`;
      let group = groups.get(key);
      if (!group) {
        group = { embedder: await this.deps.embedderFor(ctx, repo), repositoryIds: [] };
        groups.set(key, group);
      }
      group.repositoryIds.push(repo.id);
    }
    const searchGroups = await Promise.all(
      [...groups.values()].map(async (g) => ({
        repositoryIds: g.repositoryIds,
        dimensions: g.embedder.dimensions,
        vector: (
          await g.embedder.embed([data.q], { userId: ctx.actor.id, requestId: ctx.requestId })
        )[0] as number[],
      })),
    );
    return hybridSearch(
      ctx.db,
      ctx.actor,
      {
        query: data.q,
        limit: data.limit,
        repositoryIds: repos.map((r) => r.id),
        groups: searchGroups,
        mediaTypes,
      },
      this.deps.reranker,
    );
  }

  private async addSource(
    ctx: Ctx,
    repo: RepositoryRow,
    source: {
      sourceKind: ItemSource;
      title: string;
      filename: string | null;
      sourceUrl?: string;
      mediaType: string;
      bytes: Uint8Array;
    },
  ): Promise<{ id: string; status: ItemRow['status']; duplicate: boolean; item: ItemView }> {
    const sha256 = createHash('sha256').update(source.bytes).digest('hex');
    const store = this.deps.stores.primary;
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
      await this.enqueue(item);
      ctx.log.info(
        { itemId: item.id, repositoryId: repo.id, kind: source.sourceKind },
        'knowledge item queued',
      );
    }
    return { id: item.id, status: item.status, duplicate, item: toItemView(item) };
  }

  private async enqueue(item: ItemRow): Promise<void> {
    await this.deps
      .jobs()
      .send(
        KNOWLEDGE_INGEST,
        { itemId: item.id, generation: item.generation },
        { singletonKey: `${item.id}:${item.generation}` },
      );
  }

  private async deleteStored(item: ItemRow): Promise<void> {
    const store = item.storage ? this.deps.stores[item.storage] : null;
    if (store && item.storageKey) await store.delete(item.storageKey);
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

  private async views(
    ctx: Ctx,
    rows: (RepositoryRow & { canManage: boolean; itemCount?: number; itemsIndexing?: number })[],
  ): Promise<RepositoryView[]> {
    const grants = await grantsOfRepositories(
      ctx.db,
      rows.map((r) => r.id),
    );
    const models = new Map<string, string>();
    for (const r of rows)
      if (r.embeddingModelId && !models.has(r.embeddingModelId))
        models.set(
          r.embeddingModelId,
          (await findEmbeddingModel(ctx.db, r.embeddingModelId))?.displayName ?? 'unknown',
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
        createdAt: iso(r.createdAt),
        updatedAt: iso(r.updatedAt),
      };
    });
  }
}

const URL_EXTENSIONS: Record<string, string> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/csv': 'csv',
  'application/json': 'json',
  'application/pdf': 'pdf',
};

/** A readable name for a fetched URL, with an extension from its content type when the path has none. */
function filenameOfUrl(url: string, contentType: string): string {
  const { hostname, pathname } = new URL(url);
  const last = decodeURIComponent(pathname.split('/').filter(Boolean).pop() ?? '') || hostname;
  if (/\.[a-z0-9]{2,5}$/i.test(last)) return cleanFilename(last);
  const ext = URL_EXTENSIONS[contentType.split(';')[0]!.trim().toLowerCase()];
  return cleanFilename(ext ? `${last}.${ext}` : last);
}
