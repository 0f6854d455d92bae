/** Every ten minutes: answers left "streaming" by a process that stopped are marked failed (retry-able). */
import type { Services } from '../../api/services';
import type { JobDefinition } from '../queue';

export const INTERRUPTED_ANSWERS = 'chat-interrupted-answers';
export const STALE_AFTER_MINUTES = 30;

export function interruptedAnswersJob(services: Services): JobDefinition<{ olderThanMinutes?: number }> {
  return {
    name: INTERRUPTED_ANSWERS,
    schedule: '*/10 * * * *',
    queue: { retryLimit: 2 },
    async handler(data, job) {
      const minutes = data.olderThanMinutes ?? STALE_AFTER_MINUTES;
      const cutoff = new Date(Date.now() - minutes * 60_000);
      const failed = await services.chat.failInterrupted(services.systemCtx(job.log), cutoff);
      await job.progress(100, `marked ${failed} interrupted answers as failed`);
      return { failed };
    },
  };
}
