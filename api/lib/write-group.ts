/**
 * Group commit for small writes that many requests make at once (a chat turn's start and end): a write
 * submitted while the group's previous batch is in flight waits for it, and everything that waited goes
 * together as one batch — one statement, one commit — instead of one each. An idle group writes at once
 * (after the current microtasks, so writes submitted in the same tick share a batch): nothing waits when
 * there is no queue. A batch that fails is retried item by item, so each caller gets its own write's
 * outcome and one bad item (a conflicting id, a conversation deleted meanwhile) fails only its own caller.
 */

export interface WriteGroupOptions<T> {
  /** Writes the items, all or none (one statement or one transaction). */
  write(items: T[]): Promise<void>;
  /** At most this many items in one batch. */
  maxBatch: number;
  /**
   * Items with the same key never share a batch (a later one waits for the next): for writes whose
   * statement could not tell two of them apart (two turns of one conversation updating its counters).
   */
  keyOf?(item: T): string;
}

interface Waiting<T> {
  item: T;
  resolve(): void;
  reject(err: unknown): void;
}

export class WriteGroup<T> {
  private queue: Waiting<T>[] = [];
  private busy = false;

  constructor(private readonly options: WriteGroupOptions<T>) {}

  /** Resolves once `item` is written (in a batch, or on its own after its batch failed). */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
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
        await this.options.write(batch.map((w) => w.item));
        for (const w of batch) w.resolve();
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        else await Promise.all(batch.map((w) => this.alone(w)));
      }
    }
    this.busy = false;
  }

  private async alone(w: Waiting<T>): Promise<void> {
    try {
      await this.options.write([w.item]);
      w.resolve();
    } catch (err) {
      w.reject(err);
    }
  }

  /** The next batch from the front of the queue; what it cannot take keeps its place. */
  private take(): Waiting<T>[] {
    const { maxBatch, keyOf } = this.options;
    if (!keyOf) return this.queue.splice(0, maxBatch);
    const batch: Waiting<T>[] = [];
    const keys = new Set<string>();
    const rest: Waiting<T>[] = [];
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
