/**
 * Helpers for the admin console's loaders and actions. Services do the permission checks and audit writes;
 * these only turn form posts into service calls and service errors into `ActionState` answers.
 */
import { type AppLoadContext, data } from '@remix-run/node';
import { ADMIN_CAPABILITIES, BUDGET_CAPABILITIES } from '../../api/lib/capabilities';
import type { ActionState } from './action-state';
import { asServiceError, canAny, requireCapability, requireUser } from './auth.server';

export { formString } from './auth-form.server';

/** Every value of a multi-value field (checkbox groups, multi-selects), as strings. */
export function formStrings(form: FormData, name: string): string[] {
  return form.getAll(name).filter((v): v is string => typeof v === 'string');
}

/** A checkbox: present = true. */
export function formBoolean(form: FormData, name: string): boolean {
  const v = form.get(name);
  return v === 'on' || v === 'true' || v === '1';
}

/** A whole number from a form field; blank → null; anything else unparsable → NaN (the service says why). */
export function formInteger(form: FormData, name: string): number | null {
  const raw = (form.get(name) ?? '')
    .toString()
    .trim()
    .replace(/[,_\s]/g, '');
  if (raw === '') return null;
  return /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
}

/** A blank-to-null string. */
export function formOptional(form: FormData, name: string): string | null {
  const v = (form.get(name) ?? '').toString().trim();
  return v === '' ? null : v;
}

export function failure(
  error: string,
  fieldErrors: Record<string, string> = {},
  status = 422,
): ReturnType<typeof data<ActionState<never>>> {
  return data({ ok: false as const, error, fieldErrors }, { status });
}

/**
 * Runs one service call for an action. Success → `{ ok: true, data }`; a service error (AppError) →
 * `{ ok: false, error, fieldErrors }` with its HTTP status; anything else is unexpected and rethrown.
 */
export async function perform<T>(fn: () => Promise<T>) {
  try {
    const result = await fn();
    return data({ ok: true as const, data: result ?? null });
  } catch (err) {
    return failed(err);
  }
}

/** A service error (AppError) as a failed ActionState with its status; anything else is rethrown. */
export function failed(err: unknown) {
  const e = asServiceError(err);
  if (!e) throw err;
  // Field errors may be keyed by nested paths ("groupRoles.x"); the form shows them at the top key.
  const fieldErrors: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.details?.fields ?? {})) fieldErrors[k.split('.')[0]!] ??= v;
  return data({ ok: false as const, error: e.message, fieldErrors }, { status: e.status });
}

/** A signed-in actor holding at least one admin capability, else the 403 page. */
export function requireAnyAdmin(context: AppLoadContext, request: Request) {
  const actor = requireUser(context, request);
  if (!canAny(actor, ADMIN_CAPABILITIES)) requireCapability(context, request, 'admin:users');
  return actor;
}

/** Budgets belong to whoever manages models or settings (as the budgets service decides). */
export function requireBudgetAdmin(context: AppLoadContext, request: Request) {
  const actor = requireUser(context, request);
  if (!canAny(actor, BUDGET_CAPABILITIES)) requireCapability(context, request, BUDGET_CAPABILITIES[0]);
  return actor;
}

/** The `intent` field every admin form posts, naming which of the page's forms was sent. */
export function intentOf(form: FormData): string {
  return (form.get('intent') ?? '').toString();
}

export function unknownIntent() {
  return failure('This form sent an unknown request; reload the page and try again.', {}, 400);
}
