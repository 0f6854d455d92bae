/**
 * One error type for the service layer. Codes are `type:surface` (e.g. `not_found:settings`); the type part
 * decides the HTTP status unless one is given.
 */
const STATUS_BY_TYPE: Record<string, number> = {
  bad_request: 400,
  validation: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** A feature needs configuration an admin has not done yet (e.g. a provider's API key). */
  not_configured: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limit: 429,
  budget_exceeded: 429,
  unavailable: 503,
  internal: 500,
};

export interface AppErrorOptions {
  status?: number;
  details?: unknown;
  cause?: unknown;
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? STATUS_BY_TYPE[code.split(':')[0] ?? ''] ?? 500;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
  requestId: string;
}
