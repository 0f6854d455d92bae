/**
 * pino JSON logger with secrets redacted by path and e-mail addresses masked wherever they appear — in
 * messages, values, and errors (message, stack, causes, Postgres `detail`). Errors never carry a failing
 * query's parameter values (postgres.js `parameters`/`args`, drizzle's `params` and its "params: …" message):
 * those are prompts, answers, key prefixes and hashes.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'apiKey',
  'api_key',
  'key',
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'APP_SECRET',
  'DATABASE_URL',
  'REDIS_URL',
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const BEARER = /\b(Bearer\s+|sk-)[A-Za-z0-9._~+/=-]{8,}/g;

/** `jane.doe@school.org` → `j***@school.org`; bearer tokens and API keys → `[REDACTED]`. */
export function maskText(text: string): string {
  return text.replace(EMAIL, '$1***@$2').replace(BEARER, '$1[REDACTED]');
}

/** Properties of query errors that hold the statement or its values (postgres.js, drizzle). */
const QUERY_KEYS = new Set(['parameters', 'params', 'args', 'types', 'query', 'raw']);

/** Postgres echoes row values in `detail`: "Key (email)=(…) already exists", "Failing row contains (…)". */
function scrubDetail(detail: string): string {
  return detail
    .replace(/^(Key \([^)]*\)=)\(.*?\)(?= already exists| is not present| conflicts)/s, '$1(…)')
    .replace(/^(Failing row contains )\(.*\)/s, '$1(…)');
}

/** drizzle's DrizzleQueryError puts the SQL and every parameter value into its message. */
function ownMessage(err: Error): string {
  return 'params' in err && err.message.startsWith('Failed query:')
    ? 'Failed query (statement and parameters withheld)'
    : err.message;
}

/** An Error as a plain, masked object: type, message, stack, code-like fields, and its cause chain. */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return maskDeep(err, depth + 1);
  const message = ownMessage(err);
  const out: Record<string, unknown> = {
    type: err.constructor?.name ?? err.name,
    message: maskText(message),
  };
  if (err.stack) out.stack = maskText(err.stack.replace(err.message, message));
  for (const key of Object.keys(err)) {
    if (QUERY_KEYS.has(key) || key === 'cause' || key === 'message' || key === 'stack') continue;
    const value = (err as unknown as Record<string, unknown>)[key];
    out[key] =
      key === 'detail' && typeof value === 'string'
        ? maskText(scrubDetail(value))
        : maskDeep(value, depth + 1);
  }
  if (err.cause !== undefined && depth < 5) out.cause = serializeError(err.cause, depth + 1);
  return out;
}

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  if (value instanceof Error) return serializeError(value, depth);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'ai-studio' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => maskDeep(obj) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          // Mask the message string too: `log.info('signed in %s', email)` must not leak the address.
          const masked = args.map((a) => (typeof a === 'string' ? maskText(a) : a)) as typeof args;
          method.apply(this, masked);
        },
      },
      serializers: { err: serializeError },
    },
    options.destination,
  );
}

const LEVEL_METHODS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);
const skip = () => {};

/**
 * `parent.child(bindings)`, made only when first needed: a request that logs nothing at an enabled level
 * never builds it (a child of this logger costs ~30–70 µs: its bindings pass through the redaction).
 * Lazy children of lazy children stay lazy (the level check does not build the parent).
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | null = null;
  return new Proxy(parent, {
    get(_target, prop) {
      if (!child) {
        if (prop === 'isLevelEnabled') return (level: string) => parent.isLevelEnabled(level);
        if (typeof prop === 'string' && LEVEL_METHODS.has(prop) && !parent.isLevelEnabled(prop)) return skip;
        child = parent.child(bindings);
      }
      return Reflect.get(child, prop, child);
    },
  });
}
