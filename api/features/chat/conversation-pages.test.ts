import { describe, expect, it } from 'vitest';
import { HotCaches } from '../../lib/hot-cache';
import { ConversationPages } from './conversation-pages';
import type { ConversationListRow } from './conversations.repo';

const rows = (title: string) => [{ title }] as unknown as ConversationListRow[];
const shape = { archived: false, limit: 31 };

function setup() {
  const caches = new HotCaches({ ttlMs: 10_000, max: 100 });
  return { caches, pages: new ConversationPages<ConversationListRow[]>(caches) };
}

/** A load the test finishes by hand. */
function deferred() {
  let resolve!: (v: ConversationListRow[]) => void;
  const promise = new Promise<ConversationListRow[]>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('conversation pages', () => {
  it('loads a page once for concurrent and later reads, per person and shape', async () => {
    const { pages } = setup();
    let loads = 0;
    const load = async () => {
      loads++;
      return rows('first');
    };
    const [a, b] = await Promise.all([
      pages.firstPage('u1', shape, load),
      pages.firstPage('u1', shape, load),
    ]);
    expect(a).toBe(b);
    await pages.firstPage('u1', shape, load);
    expect(loads).toBe(1);
    await pages.firstPage('u1', { archived: true, limit: 31 }, load);
    await pages.firstPage('u2', shape, load);
    expect(loads).toBe(3);
  });

  it("drops a person's pages on their change only, and everyone's on a change of anyone's", async () => {
    const { pages } = setup();
    const db = {};
    await pages.firstPage('u1', shape, async () => rows('old'));
    await pages.firstPage('u2', shape, async () => rows('other'));
    pages.changed(db, 'u1');
    expect(await pages.firstPage('u1', shape, async () => rows('new'))).toEqual(rows('new'));
    expect(await pages.firstPage('u2', shape, async () => rows('reloaded'))).toEqual(rows('other'));
    pages.changed(db, null);
    expect(await pages.firstPage('u2', shape, async () => rows('reloaded'))).toEqual(rows('reloaded'));
  });

  it('never keeps rows read before a change that landed while they loaded', async () => {
    const { pages } = setup();
    const slow = deferred();
    const racing = pages.firstPage('u1', shape, () => slow.promise);
    pages.changed({}, 'u1'); // committed while the read was on its way
    slow.resolve(rows('before the change'));
    expect(await racing).toEqual(rows('before the change')); // that reader gets what it read
    expect(await pages.firstPage('u1', shape, async () => rows('after'))).toEqual(rows('after'));
  });

  it('keeps no failed load, and is cleared with the hot caches', async () => {
    const { pages, caches } = setup();
    await expect(
      pages.firstPage('u1', shape, async () => {
        throw new Error('database away');
      }),
    ).rejects.toThrow('database away');
    await pages.firstPage('u1', shape, async () => rows('loaded'));
    caches.changed(); // e.g. a model deleted: conversations lost their model_id by cascade
    expect(await pages.firstPage('u1', shape, async () => rows('fresh'))).toEqual(rows('fresh'));
  });
});
