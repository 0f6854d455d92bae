/** Nightly: delete chat attachments (stored file and row) older than the `attachments.retention_days` setting. */
import type { Services } from '../../api/services';
import { retentionJob } from './retention';

export const ATTACHMENT_RETENTION = 'attachment-retention';
export const DEFAULT_ATTACHMENT_RETENTION_DAYS = 30;

export const attachmentRetentionJob = (services: Services) =>
  retentionJob(services, {
    name: ATTACHMENT_RETENTION,
    schedule: '47 3 * * *',
    noun: 'attachments',
    setting: 'attachments.retention_days',
    defaultDays: DEFAULT_ATTACHMENT_RETENTION_DAYS,
    // Zero or less would delete files still in use in open chats: a day is the shortest retention.
    minDays: 1,
    prune: (ctx, days) => services.attachments.prune(ctx, days),
  });
