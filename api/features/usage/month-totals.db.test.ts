/**
 * The kept month totals over real SQL: whatever writes the ledger (one row, a batch of rows of several
 * people and months in one statement) adds to each person's month, and they always equal the ledger's sums;
 * the budget reservation reads them (one statement: verdict, holds, the cap at what is left).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenUsage } from '../../../db/schema/index';
import { createTestServices, type TestServices } from '../../../tests/helpers/test-app';
import { createCtx, systemActor } from '../../lib/ctx';
import { deleteReservations, insertUsage, monthTotals, reserveBudgets, userTotals } from './usage.repo';

let t: TestServices;
let modelId: string;
const people: string[] = [];
beforeAll(async () => {
  t = await createTestServices({ jobs: 'none' });
  const admin = createCtx({ db: t.database.db, log: t.log, actor: systemActor('cli') });
  modelId = (await t.services.models.create(admin, { provider: 'openai-compatible', modelId: 'totals' })).id;
  for (const email of ['ann@district.example', 'bob@district.example'])
    people.push((await t.services.users.create(admin, { email, roles: ['staff'] })).id);
});
afterAll(() => t?.close());

const NOV = new Date('2026-11-01T00:00:00.000Z');
const DEC = new Date('2026-12-01T00:00:00.000Z');
const JAN = new Date('2027-01-01T00:00:00.000Z');

const row = (userId: string, at: string, input: number, output: number, cost: string) => ({
  userId,
  modelId,
  surface: 'api' as const,
  inputTokens: input,
  outputTokens: output,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  costUsd: cost,
  estimated: false,
  createdAt: new Date(at),
});

describe('usage month totals', () => {
  it('add up every ledger insert, per person and UTC month, equal to the ledger', async () => {
    const db = t.database.db;
    const [ann, bob] = people as [string, string];
    await insertUsage(db, row(ann, '2026-11-30T23:59:59.999Z', 10, 5, '0.000000000001'));
    // One statement, two people, two months, rows out of order.
    await db
      .insert(tokenUsage)
      .values([
        row(bob, '2026-12-03T10:00:00.000Z', 1, 2, '0.25'),
        row(ann, '2026-12-01T00:00:00.000Z', 100, 50, '1.5'),
        row(ann, '2026-11-02T08:00:00.000Z', 7, 3, '0.1'),
        row(bob, '2026-12-31T23:00:00.000Z', 4, 4, '0.000001'),
      ]);
    await insertUsage(db, row(ann, '2026-12-15T12:00:00.000Z', 1, 1, '0.000000000002'));

    for (const who of [ann, bob])
      for (const [from, to] of [
        [NOV, DEC],
        [DEC, JAN],
      ] as const) {
        const kept = await monthTotals(db, who, from);
        const summed = await userTotals(db, who, from, to);
        expect([kept.tokens, Number(kept.costUsd)]).toEqual([summed.tokens, Number(summed.costUsd)]);
      }
    expect(await monthTotals(db, ann, DEC)).toEqual({ tokens: 152, costUsd: '1.500000000002' });
    expect(await monthTotals(db, ann, NOV)).toEqual({ tokens: 25, costUsd: '0.100000000001' });
    expect(await monthTotals(db, bob, JAN)).toEqual({ tokens: 0, costUsd: '0' });
  });

  it('reserves against the kept month, caps at what is left, and refuses when nothing is', async () => {
    const db = t.database.db;
    const [ann, bob] = people as [string, string]; // bob: 11 tokens in December
    const ask = (userId: string, tokens: number, prompt: number | null = null) => ({
      userId,
      from: DEC,
      now: new Date(),
      expiresAt: new Date(Date.now() + 60_000),
      limitTokens: 100,
      limitCostUsd: null,
      tokens,
      costUsd: '0.01',
      prompt: prompt === null ? null : { tokens: prompt, costUsd: '0' },
    });
    // One statement: bob's asks in turn (the second sees the first's hold, the third finds nothing left),
    // ann's under her own total (152 > 100: exceeded).
    const [first, second, annAsk, third] = await reserveBudgets(db, [
      ask(bob, 50),
      ask(bob, 500),
      ask(ann, 1),
      ask(bob, 1),
    ]);
    expect(first).toMatchObject({ usedTokens: 11, verdict: null });
    expect(second).toMatchObject({ usedTokens: 61, verdict: null }); // held 39, what was left
    expect(annAsk).toMatchObject({ id: null, usedTokens: 152, verdict: 'exceeded' });
    expect(third).toMatchObject({ id: null, usedTokens: 100, verdict: 'exceeded' });
    await deleteReservations(db, [second!.id!]);
    const [small] = await reserveBudgets(db, [ask(bob, 10, 39)]);
    expect(small).toMatchObject({ id: null, usedTokens: 61, verdict: 'too_small' });
    await deleteReservations(db, [first!.id!]);
    const [again] = await reserveBudgets(db, [ask(bob, 10, 5)]);
    expect(again).toMatchObject({ usedTokens: 11, verdict: null });
    expect(again!.id).toMatch(/^[0-9a-f-]{36}$/);
    await deleteReservations(db, [again!.id!, randomUUID()]);
  });
});
