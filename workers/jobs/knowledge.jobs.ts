/**
 * Knowledge indexing jobs (api/features/knowledge/knowledge.pipeline.ts does the work):
 * - `knowledge-ingest` extract → OCR → chunk, then queues `knowledge-embed`;
 * - `knowledge-embed` embeds in batches and publishes the generation;
 * - `knowledge-resume` (every 5 minutes) re-queues items a killed process left mid-way.
 * A step that fails on the input (a damaged file, no text, a refused model answer) marks the item failed
 * with the reason and completes, so the queue moves on; anything else is retried with backoff, and the
 * last attempt marks the item failed before the job goes to the dead-letter queue.
 */
import type { StepInput } from '../../api/features/knowledge/knowledge.pipeline';
import { KNOWLEDGE_EMBED, KNOWLEDGE_INGEST } from '../../api/features/knowledge/knowledge.queue';
import { isAppError } from '../../api/lib/errors';
import type { Services } from '../../api/services';
import type { JobContext, JobDefinition } from '../queue';

export const KNOWLEDGE_RESUME = 'knowledge-resume';

/** Active jobs of a killed process are handed out again after this long (pg-boss expiry). */
const STEP_QUEUE = { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 10 * 60 };

function stepJob(services: Services, name: string, step: 'ingest' | 'embed'): JobDefinition<StepInput> {
  return {
    name,
    queue: STEP_QUEUE,
    async handler(data: StepInput, job: JobContext) {
      const ctx = services.systemCtx(job.log.child({ itemId: data.itemId, generation: data.generation }));
      try {
        return await services.knowledgePipeline[step](ctx, data);
      } catch (err) {
        const permanent = isAppError(err) && err.status < 500;
        if (permanent || job.retryCount >= job.retryLimit) {
          await services.knowledgePipeline.fail(ctx, data, err);
          ctx.log.warn({ err }, `knowledge ${step} failed`);
          if (permanent) return { failed: (err as Error).message };
        }
        throw err;
      }
    },
  };
}

export const knowledgeJobs = (services: Services): JobDefinition<never>[] =>
  [
    stepJob(services, KNOWLEDGE_INGEST, 'ingest'),
    stepJob(services, KNOWLEDGE_EMBED, 'embed'),
    {
      name: KNOWLEDGE_RESUME,
      schedule: '*/5 * * * *',
      queue: { retryLimit: 1 },
      async handler(_data: object, job: JobContext) {
        const resumed = await services.knowledgePipeline.resumeStale(services.systemCtx(job.log));
        return { resumed };
      },
    },
  ] as JobDefinition<never>[];
