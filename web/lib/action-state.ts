/** What a form action returns on failure (STYLE.md "Errors"): one message plus messages per field. */
export type ActionState<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors: Record<string, string> };
