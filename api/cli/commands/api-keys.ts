import { createCtx, systemActor } from '../../lib/ctx';
import type { Command } from '../command';
import { UsageError } from '../command';

/**
 * `apikeys:create --email --name --scopes chat,models:read [--rate-limit N] [--expires 2027-06-30T00:00:00Z]`
 * prints the new key alone on stdout (scripts capture it with `$(…)`), and only this once.
 */
export const apiKeysCreate: Command = {
  name: 'apikeys:create',
  summary: 'Create an API key for a user; prints only the key (shown this once)',
  flags: {
    email: { type: 'string', description: "The owner's e-mail", required: true },
    name: { type: 'string', description: 'A label for the key', required: true },
    scopes: { type: 'string', description: 'Comma-separated scopes, or * for all', required: true },
    'rate-limit': { type: 'string', description: 'Requests per minute (default 60)' },
    expires: { type: 'string', description: 'Expiry as an ISO date-time (default: never)' },
  },
  needsDatabase: true,
  async run({ flags, runtime }) {
    const scopes = String(flags.scopes)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    let rateLimitRpm: number | undefined;
    if (flags['rate-limit'] !== undefined) {
      rateLimitRpm = Number(flags['rate-limit']);
      if (!Number.isInteger(rateLimitRpm) || rateLimitRpm < 1)
        throw new UsageError('--rate-limit must be a whole number of requests per minute (≥ 1)');
    }
    const { services } = runtime;
    const ctx = createCtx({ db: services.database.db, log: services.log, actor: systemActor('cli') });
    const { secret } = await services.apiKeys.createForEmail(ctx, String(flags.email), {
      name: String(flags.name),
      scopes,
      rateLimitRpm,
      expiresAt: typeof flags.expires === 'string' ? flags.expires : undefined,
    });
    // Deliberately not io.result: the key alone, even under --json, so `$(npm run -s cli -- …)` captures it.
    process.stdout.write(`${secret}\n`);
  },
};
