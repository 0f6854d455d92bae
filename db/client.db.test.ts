import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../tests/helpers/test-db';
import { connect, type DbHandle } from './client';
import { settings } from './schema/index';

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle?.close());

describe('database client (same code path on both engines)', () => {
  it('runs many concurrent parameterised queries from several connections without mixing them up', async () => {
    const other = connect(handle.target, { max: 5 });
    try {
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) => {
          const db = i % 2 ? handle.db : other.db;
          return i % 3
            ? db.execute(sql`select ${i}::int as n, ${`v${i}`}::text as label`)
            : db
                .select({ n: sql<number>`${i}::int` })
                .from(settings)
                .limit(1);
        }),
      );
      results.forEach((rows, i) => {
        const row = (rows as unknown as { n: number; label?: string }[])[0];
        if (i % 3) expect(row).toEqual({ n: i, label: `v${i}` });
      });
    } finally {
      await other.sql.end();
    }
  });

  it('isolates a transaction from another connection until it commits', async () => {
    const other = connect(handle.target, { max: 1 });
    try {
      let seenInside: number | undefined;
      await handle.db.transaction(async (tx) => {
        await tx.insert(settings).values({ key: 'tx.probe', value: '1' });
        // The other client must not see the uncommitted row (on PGlite it waits for the commit).
        const read = other.db.execute(sql`select count(*)::int as c from settings where key = 'tx.probe'`);
        const raced = await Promise.race([read, new Promise((r) => setTimeout(() => r('waiting'), 200))]);
        if (raced !== 'waiting') seenInside = (raced as unknown as { c: number }[])[0]!.c;
      });
      if (seenInside !== undefined) expect(seenInside).toBe(0);
      const after = await other.db.execute(
        sql`select count(*)::int as c from settings where key = 'tx.probe'`,
      );
      expect((after as unknown as { c: number }[])[0]!.c).toBe(1);
    } finally {
      await other.sql.end();
    }
  });

  it('has pgvector enabled by the first migration', async () => {
    const rows = await handle.db.execute(sql`select '[1,2,3]'::vector <=> '[1,2,4]'::vector as d`);
    expect(Number((rows as unknown as { d: number }[])[0]!.d)).toBeGreaterThan(0);
  });
});
