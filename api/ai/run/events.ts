/**
 * What a model call yields, whatever the surface: the typed events every adapter (chat's UI message stream,
 * compare's SSE, the OpenAI chunks, an MCP result) maps to its own wire format, and the result it ends with.
 */
import type { FinishReason } from 'ai';
import type { TokenCounts } from '../usage';
import type { RunErrorCode } from './upstream-errors';

export type RunEvent =
  | { type: 'text-start'; id: string }
  | { type: 'text'; id: string; delta: string }
  | { type: 'text-end'; id: string }
  | { type: 'reasoning-start'; id: string }
  | { type: 'reasoning'; id: string; delta: string }
  | { type: 'reasoning-end'; id: string }
  /** Before the first text: milliseconds from sending the request upstream. */
  | { type: 'first-token'; ttftMs: number }
  /** The model asks for a tool (tools offered in the call); the caller runs it. */
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: string }
  | { type: 'tool-result'; toolCallId: string; toolName: string; result: unknown }
  /** What is billed for the call (also in the result), once, at the end. */
  | { type: 'usage'; tokens: TokenCounts; estimated: boolean }
  /** The last event of a run that completed, stopped or failed (see `result.status`). */
  | { type: 'finish'; result: RunResult }
  /** The call failed (sent just before `finish`). */
  | { type: 'error'; code: RunErrorCode; message: string };

export type RunStatus = 'complete' | 'failed' | 'stopped';

export interface RunResult {
  status: RunStatus;
  /** `stop` for a stopped run, `error` for a failed one. */
  finishReason: FinishReason;
  /** The answer's text (normalised: no NUL, no lone surrogates). */
  text: string;
  reasoning: string;
  error: { code: RunErrorCode; message: string } | null;
  /** As the provider reported it; undefined when it sent no usage (or only zeros). */
  usage: TokenCounts | undefined;
  /** What is billed: `usage`, else an estimate (billing.ts). */
  billed: { tokens: TokenCounts; estimated: boolean };
  /** Exact cost of `billed` at the model's prices (decimal USD, 12 places). */
  costUsd: string;
  ttftMs: number | null;
  /** From the first to the last text (generation speed), or null. */
  generationMs: number | null;
  latencyMs: number;
}
