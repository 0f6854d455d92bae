/**
 * The service container: one instance of each service per process, built from the database handle.
 * HTTP handlers, Remix loaders (through the load context), jobs and the CLI all call these.
 */

import { afterCommit } from '../db/after-commit';
import type { DbHandle } from '../db/client';
import { migrationStatus } from '../db/migrate';
import { JobQueue } from '../workers/queue';
import { allJobs } from '../workers/registry';
import { createHttpFetch } from './ai/http-fetch';
import { ProviderFactory } from './ai/providers';
import { ModelCalls, RunLimits } from './ai/run';
import type { Config } from './config';
import { DocumentExtractor } from './extract/extractor';
import { ApiKeysService } from './features/api-keys/api-keys.service';
import { AttachmentsService } from './features/attachments/attachments.service';
import { AuditService } from './features/audit/audit.service';
import { AuthService } from './features/auth/auth.service';
import { BrandingService } from './features/branding/branding.service';
import { ChatRetrieval } from './features/chat/chat.retrieval';
import { ChatService } from './features/chat/chat.service';
import { ConversationPages } from './features/chat/conversation-pages';
import { ConversationsService } from './features/chat/conversations.service';
import { CompareService } from './features/compare/compare.service';
import { DecisionsService } from './features/decisions/decisions.service';
import { decisionEmbedder } from './features/decisions/embedder';
import { ChatKnowledge } from './features/knowledge/knowledge.chat';
import { KnowledgeDeadLetters } from './features/knowledge/knowledge.dead-letters';
import { knowledgeEmbedders } from './features/knowledge/knowledge.embed';
import { KnowledgePipeline } from './features/knowledge/knowledge.pipeline';
import { rerankerFor } from './features/knowledge/knowledge.rerank';
import { KnowledgeService } from './features/knowledge/knowledge.service';
import { TextractOcr } from './features/knowledge/knowledge.textract';
import { ModelsService } from './features/models/models.service';
import { OAuthClientsService } from './features/oauth/clients.service';
import { OAuthService } from './features/oauth/oauth.service';
import { SigningKeys } from './features/oauth/signing-keys';
import { CompletionsService } from './features/openai/completions.service';
import { RolesService } from './features/roles/roles.service';
import { SettingsService } from './features/settings/settings.service';
import { SetupService } from './features/setup/setup.service';
import { SsoService } from './features/sso/sso.service';
import { BudgetsService } from './features/usage/budgets.service';
import { UsageService } from './features/usage/usage.service';
import { UsersService } from './features/users/users.service';
import { credentialProviderFor } from './lib/aws-credentials';
import { type Ctx, createCtx, systemActor } from './lib/ctx';
import { HotCaches } from './lib/hot-cache';
import type { Logger } from './lib/logger';
import { createObjectStores } from './lib/object-store';
import { ApiRateLimiter } from './lib/rate-limit';
import { McpCallLog } from './mcp/call-log.service';

export interface ReadyReport {
  ready: boolean;
  checks: { database: boolean; migrations: boolean; queue: boolean };
  pendingMigrations: string[];
}

export interface Services {
  config: Config;
  database: DbHandle;
  log: Logger;
  audit: AuditService;
  /** Sessions, models and budgets read on every chat request (lib/hot-cache.ts). */
  caches: HotCaches;
  settings: SettingsService;
  /** First run: whether anybody has an account yet, and the administrator's setup checklist. */
  setup: SetupService;
  auth: AuthService;
  users: UsersService;
  roles: RolesService;
  sso: SsoService;
  apiKeys: ApiKeysService;
  /** OAuth 2.1 / OIDC provider: authorization, tokens, consent, connected apps (api/oauth is its HTTP). */
  oauth: OAuthService;
  /** OAuth clients: admin, CLI, dynamic registration, client authentication. */
  oauthClients: OAuthClientsService;
  /** Token signing keys (generated on first start, encrypted with APP_SECRET, rotatable). */
  oauthKeys: SigningKeys;
  /** Every MCP tools/call (tool, actor, client, ms, outcome), for administrators. */
  mcpCalls: McpCallLog;
  /** Per-minute budgets of the public API (memory, or Redis when REDIS_URL is set). */
  rateLimiter: ApiRateLimiter;
  /** The OpenAI-compatible gateway's completions (over models, budgets and usage). */
  completions: CompletionsService;
  /** The one model-call core (api/ai/run): every chat, compare, API, MCP and assistant call. */
  calls: ModelCalls;
  /** AI SDK models from settings-resolved credentials (chat, compare, embeddings). */
  providers: ProviderFactory;
  models: ModelsService;
  /** Usage ledger (every surface records its calls) and monthly budgets. */
  usage: UsageService;
  budgets: BudgetsService;
  chat: ChatService;
  conversations: ConversationsService;
  conversationPages: ConversationPages;
  /** Model Compare: parallel answers, follow-ups, fusion (ledger surface 'compare'). */
  compare: CompareService;
  /** Logo (object store) and accent colour (a stylesheet), both kept as audited settings. */
  branding: BrandingService;
  /** Chat attachments: sniffed, size-limited, stored under DATA_DIR/uploads or in S3, text extracted. */
  attachments: AttachmentsService;
  /** Knowledge repositories: sources, indexing status, hybrid search. */
  knowledge: KnowledgeService;
  /** The indexing steps the knowledge jobs run. */
  knowledgePipeline: KnowledgePipeline;
  /** Large chat attachments indexed into their conversation's private repository (docs/decisions/024). */
  chatKnowledge: ChatKnowledge;
  knowledgeDeadLetters: KnowledgeDeadLetters;
  /** The one document extractor (attachments, knowledge): a bounded worker-thread pool (api/extract). */
  extractor: DocumentExtractor;
  /** The decision log: graph nodes and edges, capture, search, packages. */
  decisions: DecisionsService;
  queue: JobQueue;
  /** Set while the server drains on shutdown: readiness then answers 503. */
  draining: boolean;
  /** A context acting as the system (jobs, boot tasks). */
  systemCtx(log?: Logger): Ctx;
  ready(): Promise<ReadyReport>;
}

/** How long a hot-cache entry may live without an invalidation reaching it (the embedded CLI case). */
const HOT_CACHE_TTL_MS = 10_000;
/** Audited changes that can make a cached session or key actor, model grant or budget stale. */
const HOT_CACHE_SOURCES = [
  'api_keys.revoke',
  'users.',
  'roles.',
  'sessions.',
  'auth.signout',
  'auth.password_change',
  'models.',
  'grants.',
  'budgets.',
  'oauth.',
  'oauth_clients.',
];

export function createServices(input: { config: Config; database: DbHandle; log: Logger }): Services {
  const { config, database, log } = input;
  const audit = new AuditService();
  const caches = new HotCaches({ ttlMs: HOT_CACHE_TTL_MS, max: 10_000 });
  audit.onRecord((action, ctx) => {
    if (HOT_CACHE_SOURCES.some((prefix) => action.startsWith(prefix)))
      afterCommit(ctx.db, () => caches.changed());
  });
  const settings = new SettingsService({ appSecret: config.APP_SECRET, env: process.env, audit, log });
  const roles = new RolesService({ audit });
  const users = new UsersService({ audit, roles, settings, caches });
  const rateLimiter = new ApiRateLimiter({
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    log,
  });
  // One Redis connection (REDIS_URL) for the API budgets, slots and the sign-in throttle.
  const auth = new AuthService({
    config,
    caches,
    audit,
    settings,
    users,
    roles,
    redis: config.REDIS_URL ? rateLimiter : undefined,
    log,
  });
  const sso = new SsoService({
    appSecret: config.APP_SECRET,
    appUrl: () => config.APP_URL,
    audit,
    roles,
    users,
  });
  const upstreamFetch = createHttpFetch({
    connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.UPSTREAM_HEADERS_TIMEOUT_MS,
    maxSockets: config.UPSTREAM_MAX_SOCKETS,
    proxy: config.upstreamProxy,
  });
  const providers = new ProviderFactory({ settings, options: { fetch: upstreamFetch } });
  const models = new ModelsService({ audit, roles, providers, caches });
  const budgets = new BudgetsService({ audit, roles, caches });
  const usage = new UsageService({ budgets });
  const stores = createObjectStores(config, log);
  const extractor = new DocumentExtractor();
  const jobs = () => services.queue;
  const chatKnowledge = new ChatKnowledge({ stores, settings, jobs });
  const attachments = new AttachmentsService({ stores, extractor, chatKnowledge });
  const appUrl = () => config.APP_URL;
  const oauthKeys = new SigningKeys({ db: database.db, appSecret: config.APP_SECRET });
  const oauthClients = new OAuthClientsService({ audit, settings, users, appUrl });
  const oauth = new OAuthService({
    db: database.db,
    appUrl,
    audit,
    users,
    clients: oauthClients,
    keys: oauthKeys,
    caches,
  });
  const calls = new ModelCalls({
    models,
    usage,
    limits: new RunLimits({ settings, rateLimiter, budgets }),
  });
  const conversationPages = new ConversationPages(caches);
  const conversations = new ConversationsService({ models, chatKnowledge, pages: conversationPages });
  const compare = new CompareService({ models, calls });
  const apiKeys = new ApiKeysService({ audit, users, db: database.db, log, caches });
  const completions = new CompletionsService({ models, calls });
  const decisions = new DecisionsService({
    audit,
    embed: decisionEmbedder({ providers, usage, settings }),
  });
  const embedderFor = knowledgeEmbedders({ providers, usage });
  const knowledge = new KnowledgeService({
    audit,
    roles,
    settings,
    stores,
    extractor,
    embedderFor,
    jobs,
    rerankerFor: rerankerFor({ settings, fetch: upstreamFetch }),
  });
  const textract = config.textract
    ? new TextractOcr({
        ...config.textract,
        credentials: credentialProviderFor(config.textract.credentials, { log }),
        log,
      })
    : null;
  const knowledgePipeline = new KnowledgePipeline({ stores, embedderFor, extractor, jobs, textract });
  const retrieval = new ChatRetrieval({ knowledge, settings });
  const chat = new ChatService({ calls, attachments, retrieval, pages: conversationPages });
  const services: Services = {
    config,
    database,
    log,
    audit,
    caches,
    settings,
    setup: new SetupService({ models, settings }),
    auth,
    users,
    roles,
    sso,
    apiKeys,
    oauth,
    oauthClients,
    oauthKeys,
    mcpCalls: new McpCallLog({ db: database.db, log }),
    rateLimiter,
    completions,
    calls,
    providers,
    models,
    usage,
    budgets,
    chat,
    conversations,
    conversationPages,
    compare,
    attachments,
    branding: new BrandingService({ settings, stores }),
    knowledge,
    knowledgePipeline,
    chatKnowledge,
    knowledgeDeadLetters: new KnowledgeDeadLetters({ audit, knowledge }),
    extractor,
    decisions,
    queue: undefined as unknown as JobQueue,
    draining: false,
    systemCtx: (l = log) => createCtx({ db: database.db, log: l, actor: systemActor() }),
    async ready() {
      let dbOk = false;
      let pending: string[] = [];
      try {
        await database.sql`select 1`;
        dbOk = true;
        pending = (await migrationStatus(database.sql)).pending;
      } catch (err) {
        log.warn({ err }, 'readiness: database check failed');
      }
      const checks = {
        database: dbOk,
        migrations: dbOk && pending.length === 0,
        queue: services.queue.isStarted,
      };
      const ready = !services.draining && checks.database && checks.migrations && checks.queue;
      return { ready, checks, pendingMigrations: pending };
    },
  };
  services.queue = new JobQueue({ target: database.target, db: database.db, log, jobs: allJobs(services) });
  return services;
}
