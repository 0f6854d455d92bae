/**
 * One vocabulary for model-call failures, on every surface. Each failure gets a typed code and a message
 * worded by us: a provider's error body is never shown (it can echo keys, prompts or internal hosts — issue
 * 9.10); `logUpstreamError` writes it to the log, masked.
 */
import { APICallError, RetryError } from 'ai';
import { type Logger, maskText } from '../../lib/logger';

export const RUN_ERROR_CODES = [
  /** The provider answered 429. */
  'rate_limited',
  /** 401/403: our credentials were refused. */
  'refused',
  /** 5xx: the provider is down or overloaded. */
  'unavailable',
  /** Another 4xx: the provider would not take the request (too long, bad parameter …). */
  'rejected',
  /** The provider could not be reached (DNS, connection refused, TLS). */
  'unreachable',
  /** The stream broke before the answer finished (cut connection, missing end). */
  'interrupted',
  /** The provider reported an error in the middle of its answer. */
  'provider_error',
  /** Nothing arrived for the idle timeout, or the call ran past its total time. */
  'timeout',
  /** The provider answered something that is not its protocol (not JSON, wrong shape). */
  'invalid_response',
  /** The provider is not configured (missing key). */
  'not_configured',
  /** The caller failed the run (e.g. its first write failed); the message says why. */
  'aborted',
] as const;
export type RunErrorCode = (typeof RUN_ERROR_CODES)[number];

export interface RunError {
  code: RunErrorCode;
  message: string;
}

/** HTTP status for a surface that answers a failed call as a whole (the OpenAI gateway's JSON). */
export const RUN_ERROR_STATUS: Record<RunErrorCode, number> = {
  rate_limited: 429,
  refused: 502,
  unavailable: 502,
  rejected: 502,
  unreachable: 502,
  interrupted: 502,
  provider_error: 502,
  timeout: 504,
  invalid_response: 502,
  not_configured: 409,
  aborted: 500,
};

const JSON_ERRORS = new Set(['AI_JSONParseError', 'AI_TypeValidationError', 'AI_InvalidResponseDataError']);
/** The body (or a stream frame) did not parse as JSON at all, as opposed to JSON of the wrong shape. */
const NOT_JSON = new Set(['AI_JSONParseError']);

const isNamed = (err: unknown, names: Set<string>) =>
  !!err && typeof err === 'object' && names.has(String((err as { name?: unknown }).name));

export function timeoutError(idleMs: number): RunError {
  return {
    code: 'timeout',
    message: `The model stopped responding (nothing received for ${Math.round(idleMs / 1000)} s).`,
  };
}

/** A worded reason for a failed call (the raw error goes to the log, not to people). */
export function describeUpstreamError(err: unknown): RunError {
  const e = RetryError.isInstance(err) ? err.lastError : err;
  if (APICallError.isInstance(e) && (e.statusCode ?? 0) >= 400) {
    const status = ` (HTTP ${e.statusCode})`;
    const code = e.statusCode!;
    if (code === 429) {
      return {
        code: 'rate_limited',
        message: `The model provider is rate limiting requests${status}. Try again shortly.`,
      };
    }
    if (code === 401 || code === 403) {
      return {
        code: 'refused',
        message: `The model provider refused our credentials${status}. Ask an administrator to check the provider settings.`,
      };
    }
    if (code >= 500) {
      return {
        code: 'unavailable',
        message: `The model provider is unavailable or overloaded${status}. Try again shortly.`,
      };
    }
    return {
      code: 'rejected',
      message: `The model provider rejected the request${status}. Try a shorter conversation or another model.`,
    };
  }
  // A 2xx answer that is not the protocol: a body that is not JSON, or JSON of the wrong shape.
  if ((APICallError.isInstance(e) && e.message.includes('Invalid JSON')) || isNamed(e, JSON_ERRORS)) {
    if (isNamed(e, new Set(['AI_InvalidResponseDataError'])) && /without a finish/i.test(String(e))) {
      return interrupted();
    }
    return APICallError.isInstance(e) || isNamed(e, NOT_JSON) ? notJson() : invalidResponse();
  }
  if (isAppErrorLike(e) && e.code.startsWith('not_configured')) {
    return { code: 'not_configured', message: e.message };
  }
  if (e instanceof TypeError && e.message === 'fetch failed') {
    return { code: 'unreachable', message: 'The model provider could not be reached. Try again shortly.' };
  }
  // An error event in the stream (the provider's own frame: a plain object, not an Error).
  if (e && typeof e === 'object' && !(e instanceof Error)) {
    return {
      code: 'provider_error',
      message: 'The model provider reported an error while answering. Try again.',
    };
  }
  return interrupted();
}

/** JSON, but not of the provider's shape. */
export const invalidResponse = (): RunError => ({
  code: 'invalid_response',
  message: 'The model provider sent an answer that could not be read (not its usual format).',
});

/** Not JSON at all (an HTML error page from a proxy, plain text, a broken frame): said as such. */
export const notJson = (): RunError => ({
  code: 'invalid_response',
  message: 'The model provider sent an answer that is not valid JSON.',
});

const interrupted = (): RunError => ({
  code: 'interrupted',
  message: 'The connection to the model provider was interrupted before the answer finished.',
});

function isAppErrorLike(e: unknown): e is { code: string; message: string } {
  return !!e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string';
}

/** Logs the raw failure with secrets and e-mail addresses masked, and no prompt (request bodies stay out). */
export function logUpstreamError(log: Logger, err: unknown, context: Record<string, unknown>): void {
  const e = RetryError.isInstance(err) ? err.lastError : err;
  const upstream = APICallError.isInstance(e)
    ? { status: e.statusCode, body: maskText(String(e.responseBody ?? '').slice(0, 2000)) }
    : e instanceof Error
      ? { name: e.name, message: maskText(e.message.slice(0, 2000)) }
      : { event: maskText(safeJson(e).slice(0, 2000)) };
  log.warn({ ...context, upstream }, 'model call: upstream failure');
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
