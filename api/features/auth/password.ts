/**
 * Password hashing with scrypt (node:crypto): random 16-byte salt, parameters stored in the encoded string
 * (`scrypt$N$r$p$salt$hash`) so they can be raised later without breaking existing hashes.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { passwordWeakness } from './password-strength';

const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, opts: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...opts, maxmem: 256 * opts.N * opts.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummyHash: Promise<string> | null = null;
/** Spends the same time as a real check, for unknown accounts (no timing oracle for account existence). */
export async function dummyVerify(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummyHash);
  return false;
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export const Email = z
  .string({ error: 'is required' })
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be a valid e-mail address' }));

/**
 * The one password policy (sign-up, own change, admin and CLI reset, admin-created accounts) as a zod
 * schema so its errors name the `password` field: length, then strength against offline common-password
 * and pattern lists (password-strength.ts).
 */
export const Password = z
  .string({ error: 'is required' })
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`)
  .refine((v) => new Set(v).size > 1, { message: 'must not repeat a single character', abort: true })
  .superRefine((v, ctx) => {
    const weakness = passwordWeakness(v);
    if (weakness) ctx.addIssue({ code: 'custom', message: weakness });
  });

/** Adds the "not your e-mail" rule to any object schema holding `email` and `password`. */
export function passwordNotEmail<T extends { email: string; password: string }>(
  value: T,
  ctx: z.RefinementCtx,
): void {
  const local = value.email.split('@')[0] ?? '';
  const pw = value.password.toLowerCase();
  if (pw === value.email.toLowerCase() || (local.length >= 4 && pw === local.toLowerCase())) {
    ctx.addIssue({ code: 'custom', path: ['password'], message: 'must not be your e-mail address' });
  }
}
