/**
 * Environment contract (docs: README "Configuration", ARCHITECTURE.md §6).
 * Parsed once at start; a bad value ends the process with one line naming the variable.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const url = new URL(v);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'must be a postgres:// or postgresql:// URL with a host');

const EnvSchema = z.object({
  // Unset = production behaviour (npm start); see `deployed` below for what an explicit value changes.
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  PORT: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  APP_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://ai.example.org' })
    .optional(),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  DATABASE_URL: postgresUrl.optional(),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  /** Namespace of our keys in Redis, so deployments (or test runs) can share one server. */
  REDIS_KEY_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9:_.-]{1,100}$/, 'must be 1-100 letters, digits or : _ . -')
    .default('aistudio'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RUN_WORKERS: booleanish.default(true),
  BODY_LIMIT_MB: z.coerce.number({ error: 'must be a number' }).positive().max(1024).default(25),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number({ error: 'must be a number' }).int().min(0).default(10_000),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Omit<Env, 'NODE_ENV' | 'APP_URL' | 'APP_SECRET' | 'DATA_DIR'> {
  NODE_ENV: 'development' | 'production' | 'test';
  APP_URL: string;
  APP_SECRET: string;
  /** Absolute path. */
  DATA_DIR: string;
  /** True when running the embedded PGlite (no DATABASE_URL). */
  embedded: boolean;
  /**
   * True for a real deployment: NODE_ENV=production set explicitly (the container, a platform) against an
   * external Postgres. `npm start` sets no NODE_ENV, so a laptop on a local Postgres still starts with a
   * generated secret (docs/decisions/002-app-secret-generation.md).
   */
  deployed: boolean;
  secureCookies: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Reads the secret generated into DATA_DIR, creating it (owner-only) on first use. */
function loadOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'app-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}

export function parseConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as most deploy tools write them for "no value".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const got = cleaned[variable];
    const shown = variable === 'APP_SECRET' || got === undefined ? '' : ` (got "${got}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const env = result.data;
  const dataDir = path.resolve(env.DATA_DIR);
  const embedded = !env.DATABASE_URL;
  const deployed = env.NODE_ENV === 'production' && !embedded;
  if (deployed && !env.APP_SECRET) {
    throw new ConfigError(
      'APP_SECRET',
      'is required in production with DATABASE_URL (at least 32 characters)',
    );
  }
  const appUrl = (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  return {
    ...env,
    NODE_ENV: env.NODE_ENV ?? 'production',
    APP_URL: appUrl,
    APP_SECRET: env.APP_SECRET ?? loadOrCreateSecret(dataDir),
    DATA_DIR: dataDir,
    embedded,
    deployed,
    secureCookies: appUrl.startsWith('https://'),
  };
}

/** For entry points: parse or exit with one readable line (no stack). */
export function loadConfigOrExit(source: Record<string, string | undefined> = process.env): Config {
  try {
    return parseConfig(source);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ai-studio: invalid configuration: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
