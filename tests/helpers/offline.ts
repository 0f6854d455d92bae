/**
 * Takes this test process off the network (tests/helpers/network-guard.cjs): from now on every connection
 * attempt to a non-loopback address — in this thread and in every worker thread started from it, nested
 * ones included — throws and is recorded. Loopback stays open for the test's own app and fake upstreams.
 *
 *   const offline = goOffline();
 *   const mark = offline.mark();
 *   …
 *   expect(offline.blocked(mark)).toEqual([]);       // nothing tried to reach the network since the mark
 *   offline.threads(mark);                           // worker threads started since the mark, guarded or not
 *   offline.restore();
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface GuardEntry {
  event: 'installed' | 'blocked' | 'spawned';
  thread: number;
  /** spawned: the new thread's id and script (a path, or 'eval'). */
  child?: number;
  script?: string;
  kind?: string;
  target?: string;
  main?: boolean;
}

export interface Offline {
  /** Everything recorded so far, in order. */
  entries(): GuardEntry[];
  /** A position in the record, for "since then" questions. */
  mark(): number;
  /** Connection attempts that were blocked since `mark`. */
  blocked(mark?: number): GuardEntry[];
  /** Worker threads started since `mark`: their script, and whether the guard was installed in them. */
  threads(mark?: number): { thread: number; script: string; guarded: boolean }[];
  restore(): void;
}

export function goOffline(): Offline {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aist-offline-'));
  const log = path.join(dir, 'network.jsonl');
  writeFileSync(log, '');
  const previous = process.env.NETWORK_GUARD_LOG;
  process.env.NETWORK_GUARD_LOG = log; // worker threads read it from their copy of the environment
  const require = createRequire(import.meta.url);
  const guard = require('./network-guard.cjs') as { uninstall(): void };
  const entries = () =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as GuardEntry);
  return {
    entries,
    mark: () => entries().length,
    blocked: (mark = 0) =>
      entries()
        .slice(mark)
        .filter((e) => e.event === 'blocked'),
    threads: (mark = 0) => {
      const since = entries().slice(mark);
      const guarded = new Set(since.filter((e) => e.event === 'installed').map((e) => e.thread));
      return since
        .filter((e) => e.event === 'spawned')
        .map((e) => ({ thread: e.child!, script: e.script!, guarded: guarded.has(e.child!) }));
    },
    restore() {
      guard.uninstall();
      delete require.cache[require.resolve('./network-guard.cjs')]; // the next goOffline() installs again
      if (previous === undefined) delete process.env.NETWORK_GUARD_LOG;
      else process.env.NETWORK_GUARD_LOG = previous;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
