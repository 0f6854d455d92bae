/**
 * Group commit for small writes that many requests make at once (a chat turn's start and end): a write
 * submitted while the group's previous batch is in flight waits for it, and everything that waited goes
 * together as one batch — one statement, one commit — instead of one each. An idle group writes at once
 * (after the current microtasks, so writes submitted in the same tick share a batch): nothing waits when
 * there is no queue. A batch that fails is retried item by item, so each caller gets its own write's
 * outcome and one bad item (a conflicting id, a conversation deleted meanwhile) fails only its own caller.
 * `R`: what a write answers for each item (a reservation's outcome), in the items' order; none by default.
 */

export interface WriteGroupOptions<T, R = undefined> {
  /** Writes the items, all or none (one statement or one transaction); the answers in their order. */
  write(items: T[]): Promise<R extends undefined ? unknown : R[]>;
  /** At most this many items in one batch. */
  maxBatch: number;
  /**
   * Items with the same key never share a batch (a later one waits for the next): for writes whose
   * statement could not tell two of them apart (two turns of one conversation updating its counters).
   */
  keyOf?(item: T): string;
}

interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(err: unknown): void;
}

export class WriteGroup<T, R = undefined> {
  private queue: Waiting<T, R>[] = [];
  private busy = false;

  constructor(private readonly options: WriteGroupOptions<T, R>) {}

  /** Resolves once `item` is written (in a batch, or on its own after its batch failed), with its answer. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.busy) {
        this.busy = true;
        queueMicrotask(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.take();
      try {
        const results = (await this.options.write(batch.map((w) => w.item))) as R[] | undefined;
        for (const [i, w] of batch.entries()) w.resolve(results?.[i] as R);
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        else await Promise.all(batch.map((w) => this.alone(w)));
      }
    }
    this.busy = false;
  }

  private async alone(w: Waiting<T, R>): Promise<void> {
    try {
      const results = (await this.options.write([w.item])) as R[] | undefined;
      w.resolve(results?.[0] as R);
    } catch (err) {
      w.reject(err);
    }
  }

  /** The next batch from the front of the queue; what it cannot take keeps its place. */
  private take(): Waiting<T, R>[] {
    const { maxBatch, keyOf } = this.options;
    if (!keyOf) return this.queue.splice(0, maxBatch);
    const batch: Waiting<T, R>[] = [];
    const keys = new Set<string>();
    const rest: Waiting<T, R>[] = [];
    for (const w of this.queue) {
      const key = keyOf(w.item);
      if (batch.length < maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(w);
      } else rest.push(w);
    }
    this.queue = rest;
    return batch;
  }
}

/**
 * `make(handle)`, made once per database handle and kept while the handle lives: groups are per handle, so
 * a transaction's writes never join another handle's batch.
 */
export function perHandle<H extends object, G>(make: (handle: H) => G): (handle: H) => G {
  const made = new WeakMap<H, G>();
  return (handle) => {
    let group = made.get(handle);
    if (group === undefined) {
      group = make(handle);
      made.set(handle, group);
    }
    return group;
  };
}
