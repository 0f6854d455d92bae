/** Nightly: delete audit events older than the `audit.retention_days` setting. */
import type { Services } from '../../api/services';
import { retentionJob } from './retention';

export const AUDIT_RETENTION = 'audit-retention';

export const auditRetentionJob = (services: Services) =>
  retentionJob(services, {
    name: AUDIT_RETENTION,
    schedule: '17 3 * * *',
    noun: 'audit events',
    setting: 'audit.retention_days',
    defaultDays: 365,
    prune: (ctx, days) => services.audit.prune(ctx, days),
  });
