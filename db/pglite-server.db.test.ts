/**
 * Many clients through one socket, as the server, pg-boss, the CLI and workers use the embedded database.
 * On Postgres these hold trivially; on PGlite they test db/pglite-server.mjs's session ownership.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../tests/helpers/test-db';
import { connect, type DbHandle } from './client';

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDatabase();
  await h.sql`create table if not exists socket_probe (id serial primary key, n int not null)`;
});
afterAll(() => h?.close());

describe('concurrent clients on one database', () => {
  it('interleaves plain statements and transactions without mixing portals or statements', async () => {
    const errors: string[] = [];
    const tx = (i: number) =>
      h.db.transaction(async (t) => {
        await t.execute(sql`select pg_advisory_xact_lock(1)`);
        await t.execute(sql`select ${i}::int`);
        await new Promise((r) => setTimeout(r, 5));
        await t.execute(sql`select ${i}::int + 1, ${'x'}::text`);
      });
    const plain = (i: number) => h.db.execute(sql`select ${i}::int as x, ${`p${i}`}::text as y, now()`);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? tx(i) : plain(i)).catch((e: Error) => errors.push(String(e.cause ?? e.message))),
      ),
    );
    expect(errors).toEqual([]);
  });

  it('returns each client its own rows under load', async () => {
    const other = connect(h.target, { max: 4 });
    try {
      const results = await Promise.all(
        Array.from({ length: 80 }, (_, i) =>
          (i % 2 ? other.db : h.db).execute(sql`select ${i}::int as n, repeat('z', ${i % 7}) as pad`),
        ),
      );
      results.forEach((rows, i) => {
        expect((rows as unknown as { n: number }[])[0]!.n).toBe(i);
      });
    } finally {
      await other.sql.end();
    }
  });

  it('rolls back the transaction of a client that disconnects mid-way and lets the others continue', async () => {
    const quitter = connect(h.target, { max: 1 });
    const inserted = quitter.sql.begin(async (tx) => {
      await tx`insert into socket_probe (n) values (-1)`;
      await new Promise((r) => setTimeout(r, 100));
      await tx`select pg_sleep(0.05)`;
    });
    await new Promise((r) => setTimeout(r, 30));
    await quitter.sql.end({ timeout: 0.01 }); // drop the connection with the transaction open
    await inserted.catch(() => {});
    const rows = await h.sql<{ c: number }[]>`select count(*)::int as c from socket_probe where n = -1`;
    expect(rows[0]!.c).toBe(0);
    expect((await h.sql`select 1 as ok`)[0]).toEqual({ ok: 1 });
  });

  it('commits concurrent writers exactly once each', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        h.db.transaction(async (t) => {
          await t.execute(sql`insert into socket_probe (n) values (${i})`);
        }),
      ),
    );
    const rows = await h.sql<{ c: number }[]>`select count(*)::int as c from socket_probe where n >= 0`;
    expect(rows[0]!.c).toBe(25);
  });
});
