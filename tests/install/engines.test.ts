/**
 * `npm ci` on our Node must print no EBADENGINE warning: every installed package's `engines.node` has to
 * allow the oldest Node we declare (and the one running the tests).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));

interface LockEntry {
  engines?: Record<string, string> | string[];
  optional?: boolean;
  os?: string[];
  cpu?: string[];
}

/** Packages npm would install here (optional ones for other platforms are skipped, and never warn). */
const installed = Object.entries(lock.packages as Record<string, LockEntry>).filter(
  ([name, entry]) => name !== '' && !(entry.optional && (entry.os?.length || entry.cpu?.length)),
);

describe('engines', () => {
  const oldest = semver.minVersion(pkg.engines.node)!.version;

  it.each([oldest, process.version])('every package allows Node %s', (version) => {
    expect(semver.satisfies(version, pkg.engines.node)).toBe(true);
    const refusing = installed
      .filter(([, e]) => e.engines && !Array.isArray(e.engines) && e.engines.node)
      .filter(([, e]) => !semver.satisfies(version, (e.engines as Record<string, string>).node!))
      .map(([name, e]) => `${name} (${(e.engines as Record<string, string>).node})`);
    expect(refusing).toEqual([]);
  });
});
