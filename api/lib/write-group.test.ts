import { describe, expect, it } from 'vitest';
import { perHandle, WriteGroup } from './write-group';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A write that records each batch and finishes when the test says so. */
function recorder(fail: (item: string) => boolean = () => false) {
  const batches: string[][] = [];
  const open: Array<() => void> = [];
  const write = (items: string[]) => {
    batches.push([...items]);
    return new Promise<void>((resolve, reject) => {
      open.push(() => (items.some(fail) ? reject(new Error(`bad: ${items.join(',')}`)) : resolve()));
    });
  };
  /** Lets the group issue what it has queued, finishes every write in flight, lets it go on. */
  const finish = async () => {
    await tick();
    for (const done of open.splice(0)) done();
    await tick();
  };
  return { batches, write, finish };
}

describe('WriteGroup', () => {
  it('writes at once when idle, and what arrives meanwhile as one batch after it', async () => {
    const r = recorder();
    const group = new WriteGroup({ write: r.write, maxBatch: 10 });
    const first = group.submit('a');
    await tick();
    expect(r.batches).toEqual([['a']]);
    const later = ['b', 'c', 'd'].map((x) => group.submit(x));
    await tick();
    expect(r.batches).toHaveLength(1); // waiting for the write in flight
    await r.finish();
    await first;
    expect(r.batches).toEqual([['a'], ['b', 'c', 'd']]);
    await r.finish();
    await Promise.all(later);
  });

  it('puts writes submitted in the same tick in one batch, at most maxBatch', async () => {
    const r = recorder();
    const group = new WriteGroup({ write: r.write, maxBatch: 2 });
    const all = ['a', 'b', 'c', 'd', 'e'].map((x) => group.submit(x));
    for (let i = 0; i < 3; i++) await r.finish();
    await Promise.all(all);
    expect(r.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('never puts two items of one key in a batch, and keeps their order', async () => {
    const r = recorder();
    const group = new WriteGroup({ write: r.write, maxBatch: 10, keyOf: (s: string) => s[0]! });
    const all = ['x1', 'y1', 'x2', 'z1', 'x3', 'y2'].map((x) => group.submit(x));
    for (let i = 0; i < 3; i++) await r.finish();
    await Promise.all(all);
    expect(r.batches).toEqual([['x1', 'y1', 'z1'], ['x2', 'y2'], ['x3']]);
  });

  it('retries a failed batch item by item: only the bad item fails, the others are written', async () => {
    const r = recorder((item) => item === 'bad');
    const group = new WriteGroup({ write: r.write, maxBatch: 10 });
    const results = ['a', 'bad', 'c'].map((x) =>
      group.submit(x).then(
        () => 'written',
        (err: Error) => err.message,
      ),
    );
    await r.finish(); // the batch fails
    await r.finish(); // each alone
    expect(await Promise.all(results)).toEqual(['written', 'bad: bad', 'written']);
    expect(r.batches).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
    // and the group goes on
    const next = group.submit('d');
    await r.finish();
    await next;
    expect(r.batches.at(-1)).toEqual(['d']);
  });

  it('rejects a lone write with its own error', async () => {
    const group = new WriteGroup<string>({
      write: async () => {
        throw new Error('conflict');
      },
      maxBatch: 10,
    });
    await expect(group.submit('a')).rejects.toThrow('conflict');
    await expect(group.submit('b')).rejects.toThrow('conflict');
  });
});

describe('perHandle', () => {
  it('makes one group per handle and keeps it', () => {
    let made = 0;
    const groupOf = perHandle((_handle: object) => ({ n: ++made }));
    const a = {};
    const b = {};
    expect(groupOf(a)).toBe(groupOf(a));
    expect(groupOf(b)).not.toBe(groupOf(a));
    expect(made).toBe(2);
  });
});

describe('WriteGroup answers', () => {
  it('gives each caller its own item’s answer, in a batch and alone', async () => {
    const seen: string[][] = [];
    const group = new WriteGroup<string, string>({
      write: async (items) => {
        seen.push(items);
        if (items.includes('bad') && items.length > 1) throw new Error('batch failed');
        return items.map((x) => x.toUpperCase());
      },
      maxBatch: 10,
    });
    const first = group.submit('a');
    const rest = ['b', 'bad', 'c'].map((x) => group.submit(x));
    expect(await first).toBe('A');
    expect(await Promise.all(rest)).toEqual(['B', 'BAD', 'C']);
    expect(seen).toEqual([['a', 'b', 'bad', 'c'], ['a'], ['b'], ['bad'], ['c']]);
  });
});
