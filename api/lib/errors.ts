/**
 * One error type for the service layer. Codes are `type:surface` (e.g. `not_found:settings`), typed as a
 * template-literal union: the type part is a row of STATUS_BY_TYPE (which decides the HTTP status unless
 * one is given) and the surface one of ERROR_SURFACES. A new feature adds its surface to that list.
 */
export const STATUS_BY_TYPE = {
  bad_request: 400,
  validation: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** The request reached a server that does not answer for its Host. */
  misdirected: 421,
  /** A feature needs configuration an admin has not done yet (e.g. a provider's API key). */
  not_configured: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limit: 429,
  budget_exceeded: 429,
  /** A model provider or identity provider failed or answered something unusable. */
  upstream: 502,
  unavailable: 503,
  timeout: 504,
  internal: 500,
} as const satisfies Record<string, number>;

export type ErrorType = keyof typeof STATUS_BY_TYPE;

/** Where an error arises: a feature, a protocol surface or a shared part. */
export const ERROR_SURFACES = [
  // features
  'admin',
  'api',
  'api_keys',
  'assistants',
  'attachments',
  'audit',
  'auth',
  'branding',
  'budgets',
  'chat',
  'compare',
  'decisions',
  'documents',
  'extract',
  'jobs',
  'knowledge',
  'models',
  'oauth_clients',
  'roles',
  'sessions',
  'settings',
  'sso',
  'usage',
  'users',
  // protocols and shared parts
  'api_key',
  'csrf',
  'cursor',
  'graph',
  'host',
  'json',
  'mcp',
  'oauth',
  'provider',
  'request',
  'route',
  'scope',
  'server',
  'storage',
  'theme',
  'tools',
] as const;

export type ErrorSurface = (typeof ERROR_SURFACES)[number];
export type ErrorCode = `${ErrorType}:${ErrorSurface}`;

export const isErrorSurface = (value: string): value is ErrorSurface =>
  (ERROR_SURFACES as readonly string[]).includes(value);

/** The HTTP status of a code (its type's row). */
export function statusOf(code: ErrorCode): number {
  return STATUS_BY_TYPE[code.slice(0, code.indexOf(':')) as ErrorType];
}

export interface AppErrorOptions {
  status?: number;
  details?: unknown;
  cause?: unknown;
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? statusOf(code);
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
  requestId: string;
}
