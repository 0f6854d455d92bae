/**
 * One chat turn: validate, decide where in the message tree it goes (chat.turn.ts), check the model grant
 * and budget, then relay the model's stream (stream.ts); running answers and their stop are chat.runs.ts.
 * Database work is kept off the token path: one read (the conversation and its private repositories)
 * happens before the upstream call, the first writes (conversation, user message, assistant placeholder)
 * run in parallel with the upstream's time to first token, and the answer + usage are written once at the
 * end.
 */
import { randomUUID } from 'node:crypto';
import type { DbHandle } from '../../../db/client';
import type { ModelCalls, RunResult } from '../../ai/run';
import { assertCan, assertSignedIn } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { isUuid } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { assertScope } from '../../lib/scopes';
import { parseInput } from '../../lib/validate';
import type { AttachmentsService } from '../attachments/attachments.service';
import type { ModelRow } from '../models/models.repo';
import type { NewUsageRow } from '../usage/usage.repo';
import { inlineAttachmentRefs } from './attachment-refs';
import { type ChatRetrieval, questionOf, sourcesPart } from './chat.retrieval';
import { ChatRuns } from './chat.runs';
import { type ChatMessageMetadata, ChatRequest, type ChatRequestInput } from './chat.schemas';
import { resolveTurn } from './chat.turn';
import { autoTitle } from './chat.views';
import type { ConversationPages } from './conversation-pages';
import { findConversationForTurn } from './conversations.repo';
import { CHAT_CAPABILITY } from './conversations.service';
import { branchTo, failStaleStreaming, savePartialAnswer, textOfParts } from './messages.repo';
import { chatStream, type PartsBuilder } from './stream';
import { saveTurnEnd, saveTurnStart } from './turn-writes';
import { toProviderPrompt } from './upstream';
import { assertModelReadsImages } from './vision-check';

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

export const INTERRUPTED_REASON =
  'The answer was interrupted because the server stopped. Retry to answer again.';

/** What POST /api/chat answers: the ids (response headers) and the UI message stream body. */
export interface ChatAnswer {
  conversationId: string;
  messageId: string;
  body: ReadableStream<Uint8Array>;
}

export class ChatService {
  private readonly live = new ChatRuns();

  constructor(
    private readonly deps: {
      calls: ModelCalls;
      attachments: Pick<AttachmentsService, 'download'>;
      retrieval: ChatRetrieval;
      /** The conversation list's cached first pages: every turn changes its order and counts. */
      pages: ConversationPages;
    },
  ) {}

  /** No upstream data for this long fails the answer: the core's timeout, shared by every surface. */
  get idleTimeoutMs(): number {
    return this.deps.calls.idleTimeoutMs;
  }

  set idleTimeoutMs(ms: number) {
    this.deps.calls.idleTimeoutMs = ms;
  }

  get activeRuns(): number {
    return this.live.size;
  }

  /** Waits for running answers to finish and be saved. */
  drain(timeoutMs: number): Promise<void> {
    return this.live.drain(timeoutMs);
  }

  /** POST /api/chat: starts the answer; the body is the UI message stream. */
  async stream(ctx: Ctx, body: ChatRequestInput): Promise<ChatAnswer> {
    assertCan(ctx.actor, CHAT_CAPABILITY);
    assertScope(ctx.actor, 'chat');
    assertSignedIn(ctx.actor);
    const input = parseInput(ChatRequest, body, 'chat');
    const userId = ctx.actor.id;

    // Independent reads run together: each sequential round trip adds to the time to first token.
    const wantedId = input.conversationId ?? (isUuid(input.id) ? input.id : undefined);
    const early = input.modelId ? this.deps.calls.resolve(ctx, input.modelId, 'chat') : null;
    early?.catch(() => {}); // awaited below; avoid an unhandled rejection while the others run
    // A fresh id (none given) has no conversation and no private repositories yet.
    const found = wantedId ? await findConversationForTurn(ctx.db, wantedId, userId) : undefined;
    const conv = found?.conversation;
    if (input.conversationId && !conv) throw new AppError('not_found:chat', 'No such conversation');
    const modelId = input.modelId ?? conv?.modelId;
    if (!modelId) {
      throw new AppError('validation:chat', 'Choose a model', {
        details: { fields: { modelId: 'is required' } },
      });
    }
    const [resolved, turn] = await Promise.all([
      early ?? this.deps.calls.resolve(ctx, modelId, 'chat'),
      resolveTurn(ctx, conv, input),
      input.repositoryIds && this.deps.retrieval.assertReadable(ctx, input.repositoryIds),
    ]);
    const model = resolved.row;
    const history = conv && turn.parentId ? await branchTo(ctx.db, conv.id, turn.parentId) : [];
    assertModelReadsImages(
      model,
      history,
      turn.userMessage
        ? { parts: turn.userMessage.parts, field: `messages.${input.messages.length - 1}.parts` }
        : null,
    );
    if (turn.userMessage) history.push({ ...turn.userMessage, role: 'user' });
    const repositoryIds = input.repositoryIds ?? conv?.knowledgeRepositoryIds ?? [];
    const conversationId = conv?.id ?? wantedId ?? randomUUID();
    const retrieved = await this.deps.retrieval.retrieve(
      ctx,
      repositoryIds,
      questionOf(history),
      found?.privateRepositoryIds ?? [],
    );
    // Before anything is written: a store that cannot be read fails the request, not a saved turn.
    const prompt = toProviderPrompt(
      [conv ? conv.systemPrompt : input.systemPrompt, retrieved.context].filter(Boolean).join('\n\n') ||
        undefined,
      await inlineAttachmentRefs(ctx, this.deps.attachments, history),
    );

    const assistantId = randomUUID();
    const now = new Date();
    const title =
      conv?.title || (turn.userMessage ? autoTitle(textOfParts(turn.userMessage.parts)) : 'New chat');
    const startMetadata: ChatMessageMetadata = {
      conversationId,
      parentId: turn.userMessage?.id ?? turn.parentId,
      userMessageId: turn.userMessage?.id,
      modelId: model.id,
      title,
      createdAt: now.toISOString(),
      status: 'streaming',
    };
    const endMetadata = (r: RunResult): ChatMessageMetadata => ({
      ...startMetadata,
      status: r.status,
      finishReason: r.finishReason,
      error: r.error?.message ?? null,
      usage: { ...r.billed.tokens, estimated: r.billed.estimated },
      costUsd: r.costUsd,
      latencyMs: r.latencyMs,
      ttftMs: r.ttftMs,
    });
    const out = chatStream({
      messageId: assistantId,
      startMetadata,
      endMetadata,
      dataParts: retrieved.sources.length ? [sourcesPart(retrieved.sources)] : [],
    });

    // Admission (rate, concurrent answers, budget reservation) throws here, before anything is written.
    let firstWrite: Promise<void> = Promise.resolve();
    const run = await this.deps.calls.start(ctx, {
      surface: 'chat',
      model: resolved,
      prompt,
      subjectId: conversationId,
      retryOnce: true,
      onEvent: out.onEvent,
      onCheckpoint: () => this.savePartial(ctx, assistantId, out.parts, firstWrite),
      persist: (r, ledger) =>
        this.finish(ctx, { conversationId, assistantId, model, firstWrite, parts: out.parts }, r, ledger),
    });

    // Runs while the upstream thinks about its first token; the final write waits for it. It starts on
    // the next turn of the event loop, once the request to the model has left (ADR 020): that request,
    // not our bookkeeping, is on the path to the first token.
    firstWrite = nextTurn().then(() =>
      saveTurnStart(ctx.db, {
        conversationId,
        create: conv
          ? undefined
          : { userId, title, modelId: model.id, systemPrompt: input.systemPrompt ?? null },
        set: conv && (!conv.title || conv.modelId !== model.id) ? { title, modelId: model.id } : undefined,
        repositoryIds: input.repositoryIds && [...new Set(input.repositoryIds)],
        messages: [
          ...(turn.userMessage
            ? [
                {
                  ...turn.userMessage,
                  role: 'user' as const,
                  contentText: textOfParts(turn.userMessage.parts),
                  modelId: null,
                  status: 'complete' as const,
                  requestId: ctx.requestId,
                  createdAt: now,
                },
              ]
            : []),
          {
            id: assistantId,
            parentId: startMetadata.parentId,
            role: 'assistant' as const,
            parts: [],
            contentText: '',
            modelId: model.id,
            status: 'streaming' as const,
            requestId: ctx.requestId,
            createdAt: new Date(now.getTime() + 1),
          },
        ],
        leafId: assistantId,
        at: now,
      }).then(() => this.deps.pages.changed(ctx.db, userId)),
    );
    this.live.add(assistantId, userId, run);
    firstWrite.catch((err: unknown) => {
      // Only a client reusing an id that exists (ids are otherwise fresh UUIDs) or a database outage.
      ctx.log.error({ err, conversationId }, 'chat: saving the turn failed; stopping the answer');
      run.fail(
        'This message could not be saved, so the answer was stopped. Reload the conversation and try again.',
      );
    });
    return { conversationId, messageId: assistantId, body: out.body };
  }

  /**
   * POST /api/chat/{messageId}/stop. Waits until the partial answer is saved. An answer streaming in
   * another server process (several instances behind a load balancer) is stopped there: the request is
   * announced on NOTIFY chat_stop, and this waits for that process to save the answer.
   */
  async stop(ctx: Ctx, messageId: string): Promise<{ stopped: boolean }> {
    assertCan(ctx.actor, CHAT_CAPABILITY);
    assertScope(ctx.actor, 'chat');
    return this.live.stop(ctx, messageId);
  }

  /** Follows stop requests made on other server processes (Postgres; one process has no one to ask). */
  subscribe(database: Pick<DbHandle, 'listen'>, log: Logger): Promise<void> {
    return this.live.subscribe(database, log);
  }

  close(): Promise<void> {
    return this.live.close();
  }

  /**
   * Answers still "streaming" since before `cutoff` were being written by a process that stopped (crash,
   * deploy): mark them failed so the UI offers a retry. For jobs; the caller picks a cut-off far beyond any
   * live stream (the relay gives up after 120 s of upstream silence).
   */
  async failInterrupted(ctx: Ctx, cutoff: Date): Promise<number> {
    const failed = await failStaleStreaming(ctx.db, cutoff, INTERRUPTED_REASON);
    if (failed) this.deps.pages.changed(ctx.db, null); // conversation totals of anyone's
    return failed;
  }

  /** Keeps the answer so far in its row while it streams (a crash then loses at most a few seconds). */
  private async savePartial(
    ctx: Ctx,
    messageId: string,
    parts: PartsBuilder,
    firstWrite: Promise<void>,
  ): Promise<void> {
    await firstWrite;
    const stored = parts.result();
    await savePartialAnswer(ctx.db, messageId, stored, textOfParts(stored));
  }

  /** Writes the answer, its usage and the conversation totals in one statement — once per answer. */
  private async finish(
    ctx: Ctx,
    t: {
      conversationId: string;
      assistantId: string;
      model: ModelRow;
      firstWrite: Promise<void>;
      parts: PartsBuilder;
    },
    r: RunResult,
    ledger: NewUsageRow | null,
  ): Promise<void> {
    try {
      await t.firstWrite;
    } catch {
      return; // already logged; there is no row to complete
    }
    const tokens = r.billed.tokens;
    const parts = t.parts.result();
    await saveTurnEnd(ctx.db, {
      conversationId: t.conversationId,
      messageId: t.assistantId,
      message: {
        parts,
        contentText: textOfParts(parts),
        status: r.status,
        finishReason: r.finishReason,
        error: r.error?.message ?? null,
        inputTokens: tokens.inputTokens,
        outputTokens: tokens.outputTokens,
        cachedInputTokens: tokens.cachedInputTokens,
        reasoningTokens: tokens.reasoningTokens,
        costUsd: r.costUsd,
        usageEstimated: r.billed.estimated,
        latencyMs: r.latencyMs,
        ttftMs: r.ttftMs,
      },
      usage: ledger,
      at: new Date(),
    });
    if (ctx.actor.id) this.deps.pages.changed(ctx.db, ctx.actor.id); // totals and updated time
  }
}
