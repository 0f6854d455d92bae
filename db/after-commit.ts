/**
 * Work that must wait for the surrounding transaction to commit (e.g. dropping hot caches: cleared earlier, a
 * read racing the commit would cache the old rows again). `afterCommit(db, fn)` with the handle a query runs
 * on — a transaction's `tx` (or a savepoint's) from `db.transaction` — queues `fn` until the outermost
 * transaction commits (dropped if it rolls back); with the root handle, or after the transaction ended, it
 * runs at once.
 * The queue hangs off the transaction handle, not the async context: an AsyncLocalStorage turns on Node 20's
 * promise hooks for the whole process, which cost every request ~5–8 µs (ADR 019).
 */

interface Pending {
  hooks: Array<() => void>;
  /** Set once the transaction ended: work arriving for its handle after that runs at once. */
  settled: boolean;
}

type Transactional = { transaction: (...args: never[]) => Promise<unknown> };
type Run = (...args: unknown[]) => Promise<unknown>;

const pendingOf = new WeakMap<object, Pending>();

export function afterCommit(db: object, fn: () => void): void {
  const pending = pendingOf.get(db);
  if (pending && !pending.settled) pending.hooks.push(fn);
  else fn();
}

/** Ties a transaction handle, and the savepoints opened from it, to its outermost transaction's queue. */
function track(tx: Transactional, pending: Pending): void {
  pendingOf.set(tx, pending);
  const savepoint = tx.transaction.bind(tx) as Run;
  (tx as { transaction: unknown }).transaction = (
    fn: (inner: Transactional) => unknown,
    ...rest: unknown[]
  ) =>
    savepoint(
      (inner: Transactional) => {
        track(inner, pending);
        return fn(inner);
      },
      ...rest,
    );
}

/** Makes `db.transaction` run the work queued for its handle after it commits. */
export function withCommitHooks<D extends Transactional>(db: D): D {
  const transaction = db.transaction.bind(db) as Run;
  (db as { transaction: unknown }).transaction = async (
    fn: (tx: Transactional) => unknown,
    ...rest: unknown[]
  ) => {
    const pending: Pending = { hooks: [], settled: false };
    try {
      const result = await transaction(
        (tx: Transactional) => {
          track(tx, pending);
          return fn(tx);
        },
        ...rest,
      );
      pending.settled = true;
      for (const hook of pending.hooks) hook();
      return result;
    } finally {
      pending.settled = true;
    }
  };
  return db;
}
