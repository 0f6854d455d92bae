/**
 * The shared tail of the sign-in and sign-up actions: turn a service error into an ActionState with the
 * right status (429 keeps its Retry-After), or set the session cookie and go to a safe `next`.
 */
import { data, redirectDocument } from '@remix-run/node';
import type { ActionState } from './action-state';
import { asServiceError, safeNext } from './auth.server';

export function formString(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
}

/**
 * A document load, not a client-side navigation: the page after signing in comes with its own headers —
 * the OAuth consent page's CSP lets its form return to the app, which a client-side visit would not have.
 */
export function signedIn(cookie: string, next: string | null) {
  return redirectDocument(safeNext(next), { headers: { 'Set-Cookie': cookie, 'Cache-Control': 'no-store' } });
}

export function failed(err: unknown) {
  const e = asServiceError(err);
  if (!e) throw err;
  const headers: Record<string, string> = {};
  if (e.headers?.['Retry-After']) headers['Retry-After'] = e.headers['Retry-After'];
  const state: ActionState = { ok: false, error: e.message, fieldErrors: e.details?.fields ?? {} };
  return data(state, { status: e.status, headers });
}
