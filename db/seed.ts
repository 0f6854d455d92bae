/**
 * Idempotent seed: rows every installation needs. Safe to run at every start; never overwrites a value an
 * admin changed. Features add their seed steps here.
 */
import type { Database } from './client';
import { seedIdentity } from './seeds/identity';

export type SeedStep = (db: Database) => Promise<void>;

/** Ordered seed steps (db/seeds/<domain>.ts). */
const steps: SeedStep[] = [seedIdentity];

export async function seed(db: Database): Promise<void> {
  for (const step of steps) await step(db);
}
