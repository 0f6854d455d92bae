/**
 * Work that must wait for the surrounding transaction to commit (e.g. dropping hot caches: cleared earlier, a
 * read racing the commit would cache the old rows again). `afterCommit(fn)` inside a transaction started with
 * `db.transaction` queues `fn` until that transaction commits (dropped if it rolls back); outside one it runs
 * at once. The queue follows the async context, so services need not pass it along.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface Pending {
  hooks: Array<() => void>;
  /** Set once the transaction ended: work continuing in its async context after that runs at once. */
  settled: boolean;
}

const current = new AsyncLocalStorage<Pending>();

export function afterCommit(fn: () => void): void {
  const pending = current.getStore();
  if (pending && !pending.settled) pending.hooks.push(fn);
  else fn();
}

/** Makes `db.transaction` (the outermost; savepoints commit with it) run the queued hooks after commit. */
export function withCommitHooks<D extends { transaction: (...args: never[]) => Promise<unknown> }>(db: D): D {
  const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
  (db as { transaction: unknown }).transaction = async (...args: unknown[]) => {
    const outer = current.getStore();
    if (outer && !outer.settled) return transaction(...args);
    const pending: Pending = { hooks: [], settled: false };
    try {
      const result = await current.run(pending, () => transaction(...args));
      pending.settled = true;
      for (const hook of pending.hooks) hook();
      return result;
    } finally {
      pending.settled = true;
    }
  };
  return db;
}
