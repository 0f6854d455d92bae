/** The shape of a nightly retention job: read the period (job data, else a setting), prune, report. */
import type { Ctx } from '../../api/lib/ctx';
import type { Services } from '../../api/services';
import type { JobDefinition } from '../queue';

export interface RetentionPolicy {
  name: string;
  /** Cron, UTC. */
  schedule: string;
  /** What is pruned, for progress messages ("audit events"). */
  noun: string;
  setting: string;
  defaultDays: number;
  /** The shortest period accepted, whatever the setting says. */
  minDays?: number;
  prune(ctx: Ctx, days: number): Promise<number>;
}

export function retentionJob(
  services: Services,
  policy: RetentionPolicy,
): JobDefinition<{ retentionDays?: number }> {
  return {
    name: policy.name,
    schedule: policy.schedule,
    queue: { retryLimit: 3 },
    async handler(data, job) {
      const ctx = services.systemCtx(job.log);
      const configured =
        data.retentionDays ?? (await services.settings.getNumber(ctx, policy.setting, policy.defaultDays));
      const days = Math.max(policy.minDays ?? 0, configured);
      await job.progress(10, `deleting ${policy.noun} older than ${days} days`);
      const deleted = await policy.prune(ctx, days);
      await job.progress(100, `deleted ${deleted}`);
      return { deleted, retentionDays: days };
    },
  };
}
