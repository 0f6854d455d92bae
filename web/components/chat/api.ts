/**
 * Browser-side calls to our REST API (same origin, session cookie). Errors arrive as
 * `{ error: { code, message, details } }`; `ApiError` keeps them so the UI can show the server's message.
 */
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

/** "budget_exceeded" errors name when the budget resets; this turns them into one sentence. */
export function describeError(err: unknown): { message: string; budget: boolean } {
  const e = err instanceof ApiError ? err : parseApiError(err instanceof Error ? err.message : String(err));
  if (!e)
    return {
      message: 'The answer could not be completed. Check your connection and try again.',
      budget: false,
    };
  if (e.code.startsWith('budget_exceeded')) {
    const resetsAt = (e.details?.resetsAt as string | undefined) ?? null;
    const when = resetsAt ? formatDate(resetsAt) : null;
    return {
      message: when && !/resets/i.test(e.message) ? `${e.message} Your budget resets on ${when}.` : e.message,
      budget: true,
    };
  }
  return { message: e.message, budget: false };
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}

/** "$0.0123" style: enough digits to see small costs, never the 12 stored decimals. */
export function formatUsd(usd: string | number | null | undefined): string {
  const n = typeof usd === 'number' ? usd : Number(usd ?? 0);
  if (!Number.isFinite(n) || n === 0) return '$0.00';
  // Two significant digits for small amounts, never scientific notation ("$0.000072").
  if (n < 0.01) return `$${n.toFixed(Math.min(10, 1 - Math.floor(Math.log10(n)))).replace(/0+$/, '')}`;
  return `$${n.toFixed(2)}`;
}

export function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  return n.toLocaleString('en-US');
}
