/**
 * Answers left "streaming" by a process that stopped (crash, kill -9) are marked failed with their partial
 * text and an estimate billed (issue 9.5): chat messages and compare results, plus the budget reservations
 * such a process held. At start-up, and every ten minutes for rows of instances that died while others
 * kept running.
 */

import type { Ctx } from '../../api/lib/ctx';
import type { Services } from '../../api/services';
import type { JobDefinition } from '../queue';

export const INTERRUPTED_ANSWERS = 'chat-interrupted-answers';
export const STALE_AFTER_MINUTES = 30;

/** Fails what was streaming before `cutoff`; returns how many answers (chat and compare). */
export async function failInterruptedAnswers(services: Services, ctx: Ctx, cutoff: Date): Promise<number> {
  const [chat, compare] = await Promise.all([
    services.chat.failInterrupted(ctx, cutoff),
    services.compare.failInterrupted(ctx, cutoff),
  ]);
  await services.budgets.dropStaleReservations(ctx, cutoff);
  return chat + compare;
}

/**
 * The start-up sweep. On the embedded database this process owns the data directory, so every row still
 * streaming belongs to a process that is gone: all are failed now. On Postgres other instances may be
 * answering: only rows that have not moved for longer than a live answer can stay silent (the idle timeout,
 * plus partial saves every few seconds, plus a margin) are failed now, and the sweep runs once more after
 * that window for the younger ones. Returns a function that cancels the second run.
 */
export async function sweepAtStartup(services: Services, embedded: boolean): Promise<() => void> {
  const ctx = services.systemCtx();
  const liveWindowMs = services.calls.idleTimeoutMs + services.calls.checkpointMs + 30_000;
  const sweep = async (cutoff: Date) => {
    const failed = await failInterruptedAnswers(services, ctx, cutoff);
    if (failed) services.log.warn({ failed }, 'answers interrupted by a stopped process were marked failed');
  };
  if (embedded) {
    await sweep(new Date());
    return () => {};
  }
  const startedAt = Date.now();
  await sweep(new Date(startedAt - liveWindowMs));
  const again = setTimeout(() => {
    sweep(new Date(startedAt)).catch((err: unknown) =>
      services.log.warn({ err }, 'the second start-up sweep of interrupted answers failed'),
    );
  }, liveWindowMs);
  again.unref();
  return () => clearTimeout(again);
}

export function interruptedAnswersJob(services: Services): JobDefinition<{ olderThanMinutes?: number }> {
  return {
    name: INTERRUPTED_ANSWERS,
    schedule: '*/10 * * * *',
    queue: { retryLimit: 2 },
    async handler(data, job) {
      const minutes = data.olderThanMinutes ?? STALE_AFTER_MINUTES;
      const cutoff = new Date(Date.now() - minutes * 60_000);
      const failed = await failInterruptedAnswers(services, services.systemCtx(job.log), cutoff);
      await job.progress(100, `marked ${failed} interrupted answers as failed`);
      return { failed };
    },
  };
}
