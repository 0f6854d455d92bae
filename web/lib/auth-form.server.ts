/**
 * The shared tail of the sign-in and sign-up actions: turn a service error into an ActionState with the
 * right status (429 keeps its Retry-After), or set the session cookie and go to a safe `next`.
 */
import { data, redirect } from '@remix-run/node';
import type { ActionState } from './action-state';
import { asServiceError, safeNext } from './auth.server';

export function formString(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
}

export function signedIn(cookie: string, next: string | null) {
  return redirect(safeNext(next), { headers: { 'Set-Cookie': cookie, 'Cache-Control': 'no-store' } });
}

export function failed(err: unknown) {
  const e = asServiceError(err);
  if (!e) throw err;
  const headers: Record<string, string> = {};
  if (e.headers?.['Retry-After']) headers['Retry-After'] = e.headers['Retry-After'];
  const state: ActionState = { ok: false, error: e.message, fieldErrors: e.details?.fields ?? {} };
  return data(state, { status: e.status, headers });
}
