/**
 * The chat answers streaming in this process, and stopping them: here directly, or — for an answer another
 * server process streams (WEB_CONCURRENCY, several instances behind a load balancer) — by announcing the
 * stop on NOTIFY chat_stop and waiting for that process to save the answer (Postgres; the embedded
 * database has one process).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../../db/client';
import type { ModelRun } from '../../ai/run';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { isUuid } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { findMessageOwner } from './messages.repo';

/** Stop requests for answers streaming in another process: payload `<messageId> <userId>`. */
export const STOP_CHANNEL = 'chat_stop';
const STOP_WAIT_MS = 10_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

interface ChatRun {
  userId: string;
  run: ModelRun;
  done: Promise<unknown>;
}

export class ChatRuns {
  private readonly runs = new Map<string, ChatRun>();
  private stopChannel: (() => Promise<void>) | null = null;

  get size(): number {
    return this.runs.size;
  }

  /** Tracks the answer `messageId` until its run is done (saved). */
  add(messageId: string, userId: string, run: ModelRun): void {
    const done = run.done.finally(() => this.runs.delete(messageId));
    this.runs.set(messageId, { userId, run, done });
  }

  /** Waits for running answers to finish and be saved. */
  async drain(timeoutMs: number): Promise<void> {
    const all = Promise.allSettled([...this.runs.values()].map((r) => r.done));
    await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  /** Stops `messageId` of the signed-in person and waits until its partial answer is saved. */
  async stop(ctx: Ctx, messageId: string): Promise<{ stopped: boolean }> {
    const running = this.runs.get(messageId);
    if (running && ctx.actor.id && this.stopLocal(messageId, ctx.actor.id)) {
      await Promise.race([running.done, sleep(STOP_WAIT_MS)]);
      return { stopped: true };
    }
    const owner = isUuid(messageId) ? await findMessageOwner(ctx.db, messageId) : undefined;
    if (!owner || owner.userId !== ctx.actor.id) throw new AppError('not_found:chat', 'No such message');
    if (owner.status !== 'streaming' || !this.stopChannel) return { stopped: false };
    await ctx.db.execute(sql`select pg_notify(${STOP_CHANNEL}, ${`${messageId} ${owner.userId}`})`);
    const until = Date.now() + STOP_WAIT_MS;
    while (Date.now() < until) {
      await sleep(100);
      if ((await findMessageOwner(ctx.db, messageId))?.status !== 'streaming') return { stopped: true };
    }
    return { stopped: false };
  }

  /** Follows stop requests made on other server processes (Postgres; one process has no one to ask). */
  async subscribe(database: Pick<DbHandle, 'listen'>, log: Logger): Promise<void> {
    if (!database.listen) return;
    try {
      this.stopChannel = await database.listen(STOP_CHANNEL, (payload) => {
        const [messageId, userId] = payload.split(' ');
        if (messageId && userId) this.stopLocal(messageId, userId);
      });
    } catch (err) {
      log.warn({ err }, 'chat: LISTEN chat_stop failed; stop works only on the answering process');
    }
  }

  async close(): Promise<void> {
    await this.stopChannel?.().catch(() => {});
    this.stopChannel = null;
  }

  private stopLocal(messageId: string, userId: string): boolean {
    const running = this.runs.get(messageId);
    if (!running || running.userId !== userId) return false;
    running.run.stop();
    return true;
  }
}
