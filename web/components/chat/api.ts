/**
 * Browser-side calls to our REST API (same origin, session cookie). Errors arrive as
 * `{ error: { code, message, details } }`; `ApiError` keeps them so the UI can show the server's message.
 */
import { type BudgetFigures, budgetReachedMessage } from '../../../api/features/usage/budget-wording';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Reads our error body from a text (AI SDK transports put the response text in Error.message). */
export function parseApiError(text: string, status = 0): ApiError | null {
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown } };
    if (!body.error?.message) return null;
    return new ApiError(
      status,
      body.error.code ?? 'error',
      body.error.message,
      (body.error.details ?? undefined) as Record<string, unknown> | undefined,
    );
  } catch {
    return null;
  }
}

export async function apiJson<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const response = await fetch(path, {
    ...rest,
    headers: {
      accept: 'application/json',
      ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  if (!response.ok) {
    const text = await response.text();
    throw (
      parseApiError(text, response.status) ??
      new ApiError(response.status, 'error', `Request failed (${response.status})`)
    );
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** Budget refusals read in the one budget wording, with the reset date in the person's locale. */
export function describeError(err: unknown, locale?: string): { message: string; budget: boolean } {
  const e = err instanceof ApiError ? err : parseApiError(err instanceof Error ? err.message : String(err));
  if (!e)
    return {
      message: 'The answer could not be completed. Check your connection and try again.',
      budget: false,
    };
  if (e.code.startsWith('budget_exceeded')) {
    const figures = e.details as Partial<BudgetFigures> | undefined;
    return {
      message: figures?.resetsAt ? budgetReachedMessage(figures as BudgetFigures, locale) : e.message,
      budget: true,
    };
  }
  return { message: e.message, budget: false };
}
