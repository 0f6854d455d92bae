/** Nightly: delete chat attachments (stored file and row) older than the `attachments.retention_days` setting. */
import type { Services } from '../../api/services';
import type { JobDefinition } from '../queue';

export const ATTACHMENT_RETENTION = 'attachment-retention';
export const DEFAULT_ATTACHMENT_RETENTION_DAYS = 30;

export function attachmentRetentionJob(services: Services): JobDefinition<{ retentionDays?: number }> {
  return {
    name: ATTACHMENT_RETENTION,
    schedule: '47 3 * * *',
    queue: { retryLimit: 3 },
    async handler(data, job) {
      const ctx = services.systemCtx(job.log);
      const setting =
        data.retentionDays ??
        (await services.settings.getNumber(
          ctx,
          'attachments.retention_days',
          DEFAULT_ATTACHMENT_RETENTION_DAYS,
        ));
      // Zero or less would delete files still in use in open chats: a day is the shortest retention.
      const days = Math.max(1, setting);
      await job.progress(10, `deleting attachments older than ${days} days`);
      const deleted = await services.attachments.prune(ctx, days);
      await job.progress(100, `deleted ${deleted}`);
      return { deleted, retentionDays: days };
    },
  };
}
