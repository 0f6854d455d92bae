/**
 * AWS credentials for the S3 object store and Textract: fixed ones from the environment, or the temporary credentials of
 * an ECS task role, fetched from the container credentials endpoint and refreshed before they expire
 * (docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html). Credentials are never logged.
 */
import { z } from 'zod';
import type { AwsCredentialSource } from '../config';
import { AppError } from './errors';
import type { Logger } from './logger';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface CredentialProvider {
  get(): Promise<AwsCredentials>;
}

export const ECS_CREDENTIALS_BASE = 'http://169.254.170.2';
/** Refresh this long before `Expiration` (the AWS SDKs use a similar window). */
const REFRESH_MARGIN_MS = 5 * 60_000;
const TIMEOUT_MS = 5_000;

export function staticCredentials(input: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | null;
}): CredentialProvider {
  const credentials: AwsCredentials = {
    accessKeyId: input.accessKeyId,
    secretAccessKey: input.secretAccessKey,
    ...(input.sessionToken ? { sessionToken: input.sessionToken } : {}),
  };
  return { get: async () => credentials };
}

const ContainerAnswer = z.object({
  AccessKeyId: z.string().min(1),
  SecretAccessKey: z.string().min(1),
  Token: z.string().min(1).optional(),
  Expiration: z.iso.datetime({ offset: true }),
});

const unavailable = (reason: string) =>
  new AppError(
    'unavailable:storage',
    'File storage is unavailable right now: its AWS credentials could not be obtained. Try again later or tell an administrator.',
    { cause: new Error(reason) },
  );

export interface ContainerCredentialsOptions {
  relativeUri: string | null;
  fullUri: string | null;
  authorizationToken: string | null;
  /** Origin the relative URI is resolved against (default http://169.254.170.2). */
  baseUrl?: string;
  log: Logger;
  now?: () => number;
}

export class ContainerCredentials implements CredentialProvider {
  private current: { credentials: AwsCredentials; expiresAt: number } | null = null;
  private pending: Promise<AwsCredentials> | null = null;
  private readonly url: string;

  constructor(private readonly options: ContainerCredentialsOptions) {
    const { relativeUri, fullUri } = options;
    if (relativeUri)
      this.url = `${(options.baseUrl ?? ECS_CREDENTIALS_BASE).replace(/\/+$/, '')}${relativeUri}`;
    else if (fullUri) this.url = fullUri;
    else throw new Error('ContainerCredentials needs a relative or a full URI');
  }

  async get(): Promise<AwsCredentials> {
    const now = (this.options.now ?? Date.now)();
    if (this.current && now < this.current.expiresAt - REFRESH_MARGIN_MS) return this.current.credentials;
    this.pending ??= this.refresh(now).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async refresh(now: number): Promise<AwsCredentials> {
    try {
      const fresh = await this.fetchCredentials();
      this.current = fresh;
      this.options.log.info(
        { expiresAt: new Date(fresh.expiresAt).toISOString() },
        'container credentials refreshed',
      );
      return fresh.credentials;
    } catch (err) {
      // Credentials that are close to expiry but still valid keep working while the endpoint hiccups.
      if (this.current && now < this.current.expiresAt) {
        this.options.log.warn({ reason: (err as Error).message }, 'container credentials refresh failed');
        return this.current.credentials;
      }
      this.options.log.error({ reason: (err as Error).message }, 'container credentials unavailable');
      throw err instanceof AppError ? err : unavailable((err as Error).message);
    }
  }

  private async fetchCredentials(): Promise<{ credentials: AwsCredentials; expiresAt: number }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.authorizationToken) headers.authorization = this.options.authorizationToken;
    let res: Response;
    try {
      res = await fetch(this.url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw unavailable(`credentials endpoint unreachable: ${(err as Error).name}`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw unavailable(`credentials endpoint answered ${res.status}`);
    }
    const parsed = ContainerAnswer.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw unavailable('credentials endpoint answered an unexpected body');
    const answer = parsed.data;
    return {
      credentials: {
        accessKeyId: answer.AccessKeyId,
        secretAccessKey: answer.SecretAccessKey,
        ...(answer.Token ? { sessionToken: answer.Token } : {}),
      },
      expiresAt: Date.parse(answer.Expiration),
    };
  }
}

/** The provider for a configured source (one per client; container credentials are cached and refreshed). */
export function credentialProviderFor(
  source: AwsCredentialSource,
  options: { log: Logger; containerCredentialsBase?: string; now?: () => number },
): CredentialProvider {
  return source.type === 'static'
    ? staticCredentials(source)
    : new ContainerCredentials({
        ...source,
        baseUrl: options.containerCredentialsBase,
        now: options.now,
        log: options.log,
      });
}
