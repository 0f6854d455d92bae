import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../../../tests/helpers/test-app';
import { createCtx, systemActor } from '../../lib/ctx';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({ jobs: 'none' });
});
afterAll(() => t?.close());

describe('an audited identity change clears the hot caches', () => {
  function cached() {
    const cache = t.services.caches.create<string>();
    cache.set('probe', 'old rows');
    return cache;
  }

  it('after its transaction commits, not before (a read racing the commit would cache the old rows)', async () => {
    const cache = cached();
    const ctx = createCtx({ db: t.database.db, log: t.log, actor: systemActor('cli') });
    await t.database.db.transaction(async (tx) => {
      await t.services.audit.record({ ...ctx, db: tx }, { action: 'users.update', targetType: 'user' });
      await tx.transaction(async (inner) => {
        await t.services.audit.record({ ...ctx, db: inner }, { action: 'roles.update', targetType: 'role' });
      });
      expect(cache.get('probe')).toBe('old rows');
    });
    expect(cache.get('probe')).toBeUndefined();
  });

  it('never for a transaction that rolls back, and at once outside one', async () => {
    const cache = cached();
    const ctx = createCtx({ db: t.database.db, log: t.log, actor: systemActor('cli') });
    await expect(
      t.database.db.transaction(async (tx) => {
        await t.services.audit.record({ ...ctx, db: tx }, { action: 'users.update', targetType: 'user' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(cache.get('probe')).toBe('old rows');
    await t.services.audit.record(ctx, { action: 'users.update', targetType: 'user' });
    expect(cache.get('probe')).toBeUndefined();
  });
});
