/** Checks shared by setting definitions (`schema` in the registry); each message names what is wrong. */
import { z } from 'zod';

/** A whole number within bounds, stored as its plain digits ("0300" → "300"). */
export function wholeNumberSetting(min: number, max: number): z.ZodType<string, string> {
  const range = `a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, `must be ${range}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be ${range}`)
    .transform(String);
}
