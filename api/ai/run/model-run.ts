/**
 * The pump under every model call: `doStream` on the provider model, read to the end by a loop that no
 * client controls (a client going away detaches its adapter; only `stop`, `fail`, the caller's signal and
 * the timeouts abort the upstream). It turns provider stream parts into RunEvents, normalises text, times
 * the first token, and ends with one RunResult that `finalize` persists before `finish` is emitted.
 *
 * Why `doStream` and not `streamText`: streamText wraps the provider stream in about seven more web-stream
 * stages (tool handling, step stitching, tee, UI conversion …) a single model call does not use; in the
 * benchmark they were most of the relay's CPU per token (docs/decisions/009, 013).
 * When the caller's client speaks the upstream's protocol (OpenAI chat completions in and out), `relay`
 * replaces `doStream` with the light relay (openai-relay.ts), which yields the same parts (ADR 020).
 */
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { APICallError, type FinishReason } from 'ai';
import type { Logger } from '../../lib/logger';
import { createChunkNormalizer, normalizeText } from '../../lib/text';
import type { ChatCompletionsTarget, ProviderModel } from '../providers';
import { computeCost, type ModelPrices, type TokenCounts } from '../usage';
import { billedUsage, tokenCounts } from './billing';
import type { RunEvent, RunResult } from './events';
import { openChatCompletions } from './openai-relay';
import {
  describeUpstreamError,
  logUpstreamError,
  notJson,
  type RunError,
  timeoutError,
} from './upstream-errors';

/** Call settings passed to the provider as they are (temperature, max tokens, stop sequences, tools …). */
export type CallSettings = Omit<LanguageModelV3CallOptions, 'prompt' | 'abortSignal' | 'headers'>;

export interface PumpInput {
  provider: ProviderModel;
  prompt: LanguageModelV3Prompt;
  settings?: CallSettings;
  /** Relay OpenAI chat completions without the provider package (openai-relay.ts): where, and the body. */
  relay?: { target: ChatCompletionsTarget; body: Record<string, unknown> } | null;
  prices: ModelPrices;
  /** No upstream data for this long fails the call. */
  idleTimeoutMs: number;
  /** The whole call may take at most this long. */
  totalTimeoutMs: number;
  /** Retry once after 1 s when the call fails before any byte with a retryable error (429, 5xx, network). */
  retryOnce: boolean;
  /** Aborting it stops the run (as `stop()`). */
  signal?: AbortSignal;
  onEvent?(event: RunEvent): void;
  /** Called at most every `checkpointMs` while new text keeps arriving (partial saves); never overlaps. */
  onCheckpoint?(progress: { text: string; reasoning: string }): Promise<void>;
  checkpointMs?: number;
  /** Persists the result (and its usage); must not throw. Awaited before `finish` is emitted. */
  finalize(result: RunResult): Promise<void>;
  log: Logger;
  logContext?: Record<string, unknown>;
}

export interface ModelRun {
  stop(): void;
  /** Aborts as a failure with this worded reason (e.g. the caller could not save the turn). */
  fail(reason: string): void;
  /** The text so far. */
  readonly text: string;
  /** Settles (never rejects) after `finalize`, with the result. */
  done: Promise<RunResult>;
}

const RETRY_DELAY_MS = 1_000;

/** Feeds the upstream's stream parts to `onPart` until the body ends (rejects on a broken stream). */
type ReadParts = (onPart: (part: LanguageModelV3StreamPart) => void) => Promise<void>;

/** Opens the upstream: the light OpenAI relay when the input names one, else the provider's `doStream`. */
async function openParts(input: PumpInput, signal: AbortSignal): Promise<ReadParts> {
  if (input.relay) return openChatCompletions(input.relay.target, input.relay.body, signal);
  const v3 = input.provider as LanguageModelV3;
  const { stream } = await v3.doStream({ ...input.settings, prompt: input.prompt, abortSignal: signal });
  return async (onPart) => {
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onPart(value);
    }
  };
}

async function openStream(input: PumpInput, signal: AbortSignal): Promise<ReadParts> {
  try {
    return await openParts(input, signal);
  } catch (err) {
    if (!input.retryOnce || signal.aborted || (APICallError.isInstance(err) && !err.isRetryable)) throw err;
    await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
    if (signal.aborted) throw err;
    return openParts(input, signal);
  }
}

export function startPump(input: PumpInput): ModelRun {
  const started = performance.now();
  const upstream = new AbortController();
  const emit = input.onEvent ?? (() => {});
  let abortedAs: 'stop' | RunError | null = null;
  let fatal: RunError | null = null;
  /** An error part is only fatal if the provider's finish does not say the answer ended well (9.10). */
  let streamError: unknown;
  let usage: TokenCounts | undefined;
  let finishReason: FinishReason | null = null;
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  let text = '';
  let reasoning = '';
  const textNorm = createChunkNormalizer();
  const reasoningNorm = createChunkNormalizer();

  const abort = (as: 'stop' | RunError) => {
    if (abortedAs || upstream.signal.aborted) return;
    abortedAs = as;
    upstream.abort();
  };
  const onSignal = () => abort('stop');
  input.signal?.addEventListener('abort', onSignal, { once: true });
  if (input.signal?.aborted) abort('stop');

  // Idle: one timer re-armed only when it fires, against the time of the last data (no timer per chunk).
  let lastDataAt = performance.now();
  let idle: NodeJS.Timeout | undefined;
  const checkIdle = () => {
    const quietFor = performance.now() - lastDataAt;
    if (quietFor >= input.idleTimeoutMs) abort(timeoutError(input.idleTimeoutMs));
    else idle = setTimeout(checkIdle, input.idleTimeoutMs - quietFor);
  };
  idle = setTimeout(checkIdle, input.idleTimeoutMs);
  const total = setTimeout(() => abort(timeoutError(input.idleTimeoutMs)), input.totalTimeoutMs);

  // Partial saves: at most one at a time and one per interval, only when text arrived since the last
  // one; a timer (not the next chunk) triggers it, so the last text before a silence is saved too.
  let checkpointAt = started;
  let checkpointing: Promise<void> | null = null;
  let checkpointTimer: NodeJS.Timeout | undefined;
  let ended = false;
  let savedChars = 0;
  const interval = input.checkpointMs ?? 5_000;
  const scheduleCheckpoint = () => {
    if (!input.onCheckpoint || checkpointTimer || checkpointing || ended) return;
    checkpointTimer = setTimeout(runCheckpoint, Math.max(0, checkpointAt + interval - performance.now()));
  };
  const runCheckpoint = () => {
    checkpointTimer = undefined;
    if (ended || text.length + reasoning.length === savedChars) return;
    checkpointAt = performance.now();
    savedChars = text.length + reasoning.length;
    checkpointing = input.onCheckpoint!({ text, reasoning })
      .catch((err: unknown) =>
        input.log.warn({ err, ...input.logContext }, 'model call: partial save failed'),
      )
      .finally(() => {
        checkpointing = null;
        if (text.length + reasoning.length !== savedChars) scheduleCheckpoint();
      });
  };

  const onText = (id: string, raw: string, kind: 'text' | 'reasoning') => {
    const delta = (kind === 'text' ? textNorm : reasoningNorm).push(raw);
    if (!delta) return;
    const now = performance.now();
    if (firstAt === null) {
      firstAt = now;
      emit({ type: 'first-token', ttftMs: Math.round(now - started) });
    }
    lastAt = now;
    if (kind === 'text') text += delta;
    else reasoning += delta;
    emit(kind === 'text' ? { type: 'text', id, delta } : { type: 'reasoning', id, delta });
    scheduleCheckpoint();
  };

  const handle = (part: LanguageModelV3StreamPart) => {
    switch (part.type) {
      case 'text-delta':
        onText(part.id, part.delta, 'text');
        break;
      case 'reasoning-delta':
        onText(part.id, part.delta, 'reasoning');
        break;
      case 'text-start':
      case 'text-end':
      case 'reasoning-start':
      case 'reasoning-end':
        emit({ type: part.type, id: part.id });
        break;
      case 'tool-call':
        emit({ type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
        break;
      case 'tool-result':
        emit({
          type: 'tool-result',
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          result: part.result,
        });
        break;
      case 'finish':
        usage = tokenCounts(part.usage);
        finishReason = part.finishReason.unified;
        break;
      case 'error':
        streamError ??= part.error;
        logUpstreamError(input.log, part.error, { ...input.logContext, during: 'stream' });
        break;
      default:
        break;
    }
  };

  const pump = async (): Promise<RunResult> => {
    try {
      const read = await openStream(input, upstream.signal);
      await read((part) => {
        lastDataAt = performance.now();
        handle(part);
      });
      // An error part (malformed line, the provider's error event) fails the answer only when the
      // provider did not finish it properly: after a complete answer it is logged, not reported.
      if (finishReason === 'error' || (streamError !== undefined && finishReason === null)) {
        fatal = describeUpstreamError(streamError ?? {});
        // A body that ended cleanly with nothing we could read (an HTML page, plain text): not JSON.
        if (fatal.code === 'interrupted' && firstAt === null) fatal = notJson();
      }
    } catch (err) {
      // Our own aborts (stop, timeouts, fail) surface here too; only a foreign failure is an error.
      if (!upstream.signal.aborted) {
        fatal = describeUpstreamError(err);
        logUpstreamError(input.log, err, input.logContext ?? {});
      }
    } finally {
      clearTimeout(idle);
      clearTimeout(total);
      ended = true;
      clearTimeout(checkpointTimer);
      input.signal?.removeEventListener('abort', onSignal);
    }
    text += textNorm.flush();
    reasoning += reasoningNorm.flush();
    await checkpointing;
    return snapshot();
  };

  const snapshot = (): RunResult => {
    const error = fatal ?? (abortedAs && abortedAs !== 'stop' ? abortedAs : null);
    const status = error ? 'failed' : abortedAs === 'stop' ? 'stopped' : 'complete';
    const finalText = normalizeText(text);
    const billed = billedUsage(input.prompt, {
      usage,
      textChars: finalText.length,
      reasoningChars: reasoning.length,
    });
    return {
      status,
      finishReason:
        status === 'complete' ? (finishReason ?? 'stop') : status === 'stopped' ? 'stop' : 'error',
      text: finalText,
      reasoning: normalizeText(reasoning),
      error,
      usage: usage && usage.inputTokens + usage.outputTokens > 0 ? usage : undefined,
      billed,
      costUsd: computeCost(billed.tokens, input.prices).usd,
      ttftMs: firstAt === null ? null : Math.round(firstAt - started),
      generationMs: firstAt !== null && lastAt !== null ? lastAt - firstAt : null,
      latencyMs: Math.round(performance.now() - started),
    };
  };

  const done = pump().then(async (result) => {
    emit({ type: 'usage', tokens: result.billed.tokens, estimated: result.billed.estimated });
    try {
      await input.finalize(result);
    } catch (err) {
      input.log.error({ err, ...input.logContext }, 'model call: saving the result failed');
    }
    if (result.error) emit({ type: 'error', code: result.error.code, message: result.error.message });
    emit({ type: 'finish', result });
    return result;
  });

  return {
    stop: () => abort('stop'),
    fail: (reason) => abort({ code: 'aborted', message: reason }),
    get text() {
      return text;
    },
    done,
  };
}
