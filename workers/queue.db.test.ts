import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../db/schema/index';
import { createTestServices, type TestServices } from '../tests/helpers/test-app';
import { AUDIT_RETENTION } from './jobs/audit-retention.job';
import { deadLetterName, JobQueue } from './queue';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({ jobs: 'work' });
});
afterAll(() => t?.close());

describe('job queue', () => {
  it('runs the audit retention job: deletes old events, keeps recent ones, reports progress', async () => {
    const old = new Date(Date.now() - 400 * 86_400_000);
    await t.database.db
      .insert(auditEvents)
      .values([{ action: 'test.old', createdAt: old }, { action: 'test.recent' }]);
    const id = await t.services.queue.send(AUDIT_RETENTION, { retentionDays: 365 });
    expect(id).toBeTruthy();
    await expect
      .poll(async () => (await t.services.queue.status(AUDIT_RETENTION, id!))?.state, {
        timeout: 15_000,
        interval: 250,
      })
      .toBe('completed');
    const status = await t.services.queue.status(AUDIT_RETENTION, id!);
    expect(status?.output).toEqual({ deleted: 1, retentionDays: 365 });
    expect(status?.progress).toEqual({ percent: 100, message: 'deleted 1' });
    const left = (await t.database.db.select().from(auditEvents)).map((e) => e.action);
    expect(left).toContain('test.recent');
    expect(left).not.toContain('test.old');
  });

  it('retries a failing job with backoff, then moves it to the dead-letter queue', async () => {
    let attempts = 0;
    const queue = new JobQueue({
      target: t.database.target,
      db: t.database.db,
      log: t.log,
      jobs: [
        {
          name: 'test-always-fails',
          queue: { retryLimit: 2, retryDelay: 1, retryBackoff: true },
          async handler() {
            attempts++;
            throw new Error('boom');
          },
        },
      ],
    });
    await queue.start({ work: true });
    try {
      const id = await queue.send('test-always-fails', { n: 1 });
      await expect
        .poll(async () => (await queue.status('test-always-fails', id!))?.state, {
          timeout: 25_000,
          interval: 500,
        })
        .toBe('failed');
      expect(attempts).toBe(3);
      const job = await queue.status('test-always-fails', id!);
      expect(job?.retryCount).toBe(2);
      // The payload lands in the dead-letter queue for inspection or replay.
      const dead = await t.database.sql<{ data: { n: number } }[]>`
        select data from pgboss.job where name = ${deadLetterName('test-always-fails')}`;
      expect(dead.map((d) => d.data)).toEqual([{ n: 1 }]);
    } finally {
      await queue.stop(1_000);
    }
  });
});
