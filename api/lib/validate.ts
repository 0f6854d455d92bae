/** Service-side zod parsing that fails like the HTTP edge: 422 with one message per field. */
import { z } from 'zod';
import { AppError } from './errors';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, surface: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '(input)';
    fields[key] ??= issue.message;
  }
  const summary = Object.entries(fields)
    .map(([k, m]) => `${k} ${m}`)
    .join('; ');
  throw new AppError(`validation:${surface}`, `Invalid input: ${summary}`, { details: { fields } });
}

const UUID = z.uuid();

/** Whether a path or tool argument is a uuid (check before it reaches SQL, where a bad cast would be a 500). */
export const isUuid = (value: string): boolean => UUID.safeParse(value).success;
