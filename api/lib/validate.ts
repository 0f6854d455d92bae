/** Service-side zod parsing that fails like the HTTP edge: 422 with one message per field. */
import type { z } from 'zod';
import { AppError, type ErrorSurface } from './errors';

/** Whether a path or tool argument is a uuid (the one check lives in ./ids). */
export { isUuid } from './ids';

/** zod issues as `{ "path.to.field": "first message" }` (issues about the whole value under `rootKey`). */
export function issueFields(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  rootKey: string,
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : rootKey;
    fields[key] ??= issue.message;
  }
  return fields;
}

export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  surface: ErrorSurface,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = issueFields(result.error.issues, '(input)');
  const summary = Object.entries(fields)
    .map(([k, m]) => `${k} ${m}`)
    .join('; ');
  throw new AppError(`validation:${surface}`, `Invalid input: ${summary}`, { details: { fields } });
}

/** A request part that failed its route's schema (`target`: json, query, param…): 422 naming each field. */
export function rejectRequest(target: string, error: { issues: z.core.$ZodIssue[] }): never {
  const fields = issueFields(error.issues, '(body)');
  throw new AppError('validation:request', `Invalid ${target}: ${Object.keys(fields).join(', ')}`, {
    details: { target, fields },
  });
}
