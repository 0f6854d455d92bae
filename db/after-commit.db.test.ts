import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../tests/helpers/test-db';
import { afterCommit } from './after-commit';
import type { DbHandle } from './client';

let database: DbHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

describe('afterCommit', () => {
  it('waits for the transaction to commit, sees its rows, and runs once', async () => {
    const { db } = database;
    await db.execute(sql`create table after_commit_probe (n int)`);
    const seen: number[] = [];
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into after_commit_probe values (1)`);
      afterCommit(tx, () => seen.push(-1));
      await tx.transaction(async (inner) => {
        await inner.execute(sql`insert into after_commit_probe values (2)`);
        afterCommit(inner, () => seen.push(-2)); // a savepoint commits with the outer transaction
      });
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual([-1, -2]);
  });

  it('drops the work of a transaction that rolls back, and runs at once outside one', async () => {
    const seen: string[] = [];
    await expect(
      database.db.transaction(async (tx) => {
        afterCommit(tx, () => seen.push('rolled back'));
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    afterCommit(database.db, () => seen.push('now'));
    expect(seen).toEqual(['now']);
  });

  it('runs at once for work that outlives its transaction', async () => {
    const seen: string[] = [];
    let later!: Promise<void>;
    await database.db.transaction(async (tx) => {
      later = new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => {
        afterCommit(tx, () => seen.push('late'));
      });
    });
    await later;
    expect(seen).toEqual(['late']);
  });
});
