/**
 * Environment contract (docs: README "Configuration", ARCHITECTURE.md §6).
 * Parsed once at start; a bad value ends the process with one line naming the variable.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type ProxySettings, proxySettingsFromEnv, UPSTREAM_DEFAULTS } from './ai/upstream-options';
import { parseTrustProxy, type TrustProxy } from './lib/trust-proxy';

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

/** S3 bucket names (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), simplified. */
const S3_BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const AWS_REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** Key prefix: path segments of letters, digits, `.`, `_`, `-`; no `.`/`..` segment; `/` alone = none. */
const isKeyPrefix = (v: string) =>
  v === '/' ||
  (v.length <= 200 &&
    v
      .replace(/\/$/, '')
      .split('/')
      .every((seg) => /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(seg)));

/** A Host header value: a DNS name or IPv4 address, or a bracketed IPv6 address, with an optional port. */
const HOST_NAME =
  /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/;

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
  /** Host names (host or host:port) served besides APP_URL's, comma-separated; other Host headers → 421. */
  ALLOWED_HOSTS: z
    .string()
    .trim()
    .toLowerCase()
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
    )
    .refine(
      (hosts) => hosts.every((h) => HOST_NAME.test(h)),
      'must be comma-separated host names such as ai.district.org,ai.internal:8443',
    )
    .optional(),
  /** Off by default; a hop count (1 behind the ALB) or a CIDR list of proxies whose X-Forwarded-* count. */
  TRUST_PROXY: z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      try {
        parseTrustProxy(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    })
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
  /** Server processes behind the one port (node:cluster, api/cluster.ts); more than 1 needs DATABASE_URL. */
  WEB_CONCURRENCY: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(64, 'must be at most 64')
    .default(1),
  BODY_LIMIT_MB: z.coerce.number({ error: 'must be a number' }).positive().max(1024).default(25),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number({ error: 'must be a number' }).int().min(0).default(10_000),
  /** Model-provider connections (api/ai/http-fetch.ts); HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read there. */
  UPSTREAM_CONNECT_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(100, 'must be at least 100')
    .default(UPSTREAM_DEFAULTS.connectTimeoutMs),
  UPSTREAM_HEADERS_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1_000, 'must be at least 1000')
    .default(UPSTREAM_DEFAULTS.headersTimeoutMs),
  UPSTREAM_MAX_SOCKETS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100_000, 'must be at most 100,000')
    .default(UPSTREAM_DEFAULTS.maxSockets),
  /** Chat attachments go to this bucket when set, else DATA_DIR/uploads (docs/decisions/012). */
  S3_BUCKET: z
    .string()
    .trim()
    .regex(S3_BUCKET_NAME, 'must be an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens')
    .optional(),
  S3_REGION: z.string().trim().regex(AWS_REGION_NAME, 'must be an AWS region such as eu-west-1').optional(),
  /** An S3-compatible server (MinIO, tests); requests then use path-style URLs (`<endpoint>/<bucket>/<key>`). */
  S3_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:9000' })
    .optional(),
  S3_PREFIX: z
    .string()
    .trim()
    .refine(
      isKeyPrefix,
      'must be path segments of letters, digits, . _ - such as attachments/ (or / for none)',
    )
    .default('attachments/'),
  /** Amazon Textract reads knowledge pages without a text layer when set (else the offline tesseract). */
  TEXTRACT_REGION: z
    .string()
    .trim()
    .regex(AWS_REGION_NAME, 'must be an AWS region such as eu-west-1')
    .optional(),
  /** A Textract-compatible endpoint (tests); default https://textract.<region>.amazonaws.com. */
  TEXTRACT_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:9000' })
    .optional(),
});

export type Env = z.infer<typeof EnvSchema>;

/** Where the S3 driver gets AWS credentials: the environment, or the ECS task role's endpoint. */
export type AwsCredentialSource =
  | { type: 'static'; accessKeyId: string; secretAccessKey: string; sessionToken: string | null }
  | {
      type: 'container';
      /** AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (resolved against 169.254.170.2); wins over fullUri. */
      relativeUri: string | null;
      fullUri: string | null;
      authorizationToken: string | null;
    };

export interface S3StoreConfig {
  bucket: string;
  region: string;
  /** null = AWS (virtual-hosted URLs); set = path-style URLs on this origin. */
  endpoint: string | null;
  /** Ends with `/` (or is empty). */
  prefix: string;
  credentials: AwsCredentialSource;
}

export interface TextractConfig {
  region: string;
  /** The service URL (POST /), https://textract.<region>.amazonaws.com unless TEXTRACT_ENDPOINT is set. */
  endpoint: string;
  credentials: AwsCredentialSource;
}

export interface Config
  extends Omit<Env, 'NODE_ENV' | 'APP_URL' | 'APP_SECRET' | 'DATA_DIR' | 'ALLOWED_HOSTS' | 'TRUST_PROXY'> {
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
  /** Set when S3_BUCKET is: new attachments go to S3 (DATA_DIR/uploads otherwise). */
  s3: S3StoreConfig | null;
  /** Set when TEXTRACT_REGION is: OCR of knowledge pages through Amazon Textract. */
  textract: TextractConfig | null;
  /** ALLOWED_HOSTS: Host header values accepted besides APP_URL's host (lowercase). */
  allowedHosts: string[];
  /** TRUST_PROXY parsed: whose X-Forwarded-For / X-Forwarded-Proto to believe. */
  trustProxy: TrustProxy;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY for model-provider calls. */
  upstreamProxy: ProxySettings;
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

/** ECS/EKS container credential hosts a full URI may name over plain http (as the AWS SDKs allow). */
const CONTAINER_HOSTS = new Set(['169.254.170.2', '169.254.170.23', '[fd00:ec2::23]', 'localhost', '[::1]']);

function containerFullUri(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('AWS_CONTAINER_CREDENTIALS_FULL_URI', 'must be a URL');
  }
  const loopback = CONTAINER_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return url.toString();
  throw new ConfigError(
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'must be https, or http on a loopback or ECS/EKS credentials address',
  );
}

/** AWS credentials from the environment, or the ECS task role's endpoint (shared by S3 and Textract). */
function awsCredentialSource(source: Record<string, string>, enabledBy: string): AwsCredentialSource {
  const keyId = source.AWS_ACCESS_KEY_ID?.trim();
  const secret = source.AWS_SECRET_ACCESS_KEY?.trim();
  if (keyId || secret) {
    if (!keyId) throw new ConfigError('AWS_ACCESS_KEY_ID', 'is required with AWS_SECRET_ACCESS_KEY');
    if (!secret) throw new ConfigError('AWS_SECRET_ACCESS_KEY', 'is required with AWS_ACCESS_KEY_ID');
    return {
      type: 'static',
      accessKeyId: keyId,
      secretAccessKey: secret,
      sessionToken: source.AWS_SESSION_TOKEN?.trim() || null,
    };
  }
  const relativeUri = source.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI?.trim() || null;
  const fullUri = source.AWS_CONTAINER_CREDENTIALS_FULL_URI?.trim() || null;
  if (relativeUri && !relativeUri.startsWith('/'))
    throw new ConfigError('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'must be a path starting with /');
  if (!relativeUri && !fullUri)
    throw new ConfigError(
      enabledBy,
      'is set but no AWS credentials are: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with an ECS task role',
    );
  return {
    type: 'container',
    relativeUri,
    fullUri: relativeUri || !fullUri ? null : containerFullUri(fullUri),
    authorizationToken: source.AWS_CONTAINER_AUTHORIZATION_TOKEN?.trim() || null,
  };
}

/** The S3 settings when S3_BUCKET is set; credentials from the environment or the container role. */
function s3Config(env: Env, source: Record<string, string>): S3StoreConfig | null {
  if (!env.S3_BUCKET) return null;
  const regionVar = env.S3_REGION ? 'S3_REGION' : 'AWS_REGION';
  const region = env.S3_REGION ?? source.AWS_REGION?.trim() ?? 'us-east-1';
  if (!AWS_REGION_NAME.test(region))
    throw new ConfigError(regionVar, `must be an AWS region such as eu-west-1 (got "${region}")`);
  const credentials = awsCredentialSource(source, 'S3_BUCKET');
  const prefix = env.S3_PREFIX.replace(/\/*$/, '/');
  return {
    bucket: env.S3_BUCKET,
    region,
    endpoint: env.S3_ENDPOINT ? env.S3_ENDPOINT.replace(/\/+$/, '') : null,
    prefix: prefix === '/' ? '' : prefix,
    credentials,
  };
}

/** Textract when TEXTRACT_REGION is set, with the same AWS credentials as S3. */
function textractConfig(env: Env, source: Record<string, string>): TextractConfig | null {
  if (!env.TEXTRACT_REGION) return null;
  return {
    region: env.TEXTRACT_REGION,
    endpoint: (env.TEXTRACT_ENDPOINT ?? `https://textract.${env.TEXTRACT_REGION}.amazonaws.com`).replace(
      /\/+$/,
      '',
    ),
    credentials: awsCredentialSource(source, 'TEXTRACT_REGION'),
  };
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
  if (embedded && env.WEB_CONCURRENCY > 1) {
    throw new ConfigError(
      'WEB_CONCURRENCY',
      `must be 1 with the embedded database, which one process owns (got "${env.WEB_CONCURRENCY}"); set DATABASE_URL to run several`,
    );
  }
  const appUrl = (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  const { ALLOWED_HOSTS, TRUST_PROXY, ...rest } = env;
  return {
    ...rest,
    upstreamProxy: upstreamProxy(cleaned as Record<string, string>),
    allowedHosts: ALLOWED_HOSTS ?? [],
    trustProxy: parseTrustProxy(TRUST_PROXY),
    NODE_ENV: env.NODE_ENV ?? 'production',
    APP_URL: appUrl,
    APP_SECRET: env.APP_SECRET ?? loadOrCreateSecret(dataDir),
    DATA_DIR: dataDir,
    embedded,
    deployed,
    secureCookies: appUrl.startsWith('https://'),
    s3: s3Config(env, cleaned as Record<string, string>),
    textract: textractConfig(env, cleaned as Record<string, string>),
  };
}

function upstreamProxy(env: Record<string, string | undefined>): ProxySettings {
  try {
    return proxySettingsFromEnv(env);
  } catch (err) {
    throw new ConfigError(
      (env.HTTPS_PROXY ?? env.https_proxy) ? 'HTTPS_PROXY' : 'HTTP_PROXY',
      (err as Error).message,
    );
  }
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
