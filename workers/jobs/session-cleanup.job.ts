/** Hourly: delete expired browser sessions (lookups already ignore them; this keeps the table small). */
import type { Services } from '../../api/services';
import type { JobDefinition } from '../queue';

export const SESSION_CLEANUP = 'session-cleanup';

export function sessionCleanupJob(services: Services): JobDefinition<Record<string, never>> {
  return {
    name: SESSION_CLEANUP,
    schedule: '41 * * * *',
    queue: { retryLimit: 2 },
    async handler(_data, job) {
      const deleted = await services.auth.deleteExpiredSessions(services.systemCtx(job.log));
      await job.progress(100, `deleted ${deleted} expired sessions`);
      return { deleted };
    },
  };
}
