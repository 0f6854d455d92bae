/** Nightly: delete audit events older than the `audit.retention_days` setting. */
import type { Services } from '../../api/services';
import type { JobDefinition } from '../queue';

export const AUDIT_RETENTION = 'audit-retention';

export function auditRetentionJob(services: Services): JobDefinition<{ retentionDays?: number }> {
  return {
    name: AUDIT_RETENTION,
    schedule: '17 3 * * *',
    queue: { retryLimit: 3 },
    async handler(data, job) {
      const ctx = services.systemCtx(job.log);
      const days =
        data.retentionDays ?? (await services.settings.getNumber(ctx, 'audit.retention_days', 365));
      await job.progress(10, `deleting audit events older than ${days} days`);
      const deleted = await services.audit.prune(ctx, days);
      await job.progress(100, `deleted ${deleted}`);
      return { deleted, retentionDays: days };
    },
  };
}
