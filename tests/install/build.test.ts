/**
 * The first `npm start` builds the web app in front of a newcomer: whatever the build writes to stderr
 * (kept in build/.build-log by scripts/ensure-build.mjs) must be nothing they could mistake for an error.
 * A later start rebuilds when anything the bundle compiles has changed, its imports from api/ included.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInputFiles } from '../../scripts/ensure-build.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(path.join(root, dir)).sort()) {
    const p = path.join(dir, entry);
    if (statSync(path.join(root, p)).isDirectory()) yield* sourceFiles(p);
    else if (/\.tsx?$/.test(p) && !/\.test\.tsx?$/.test(p)) yield p;
  }
}

/** Every project file the web's sources reach through relative imports, followed transitively. */
function reachedFromWeb(): Set<string> {
  const seen = new Set<string>();
  const queue = [...sourceFiles('web')];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(path.join(root, file), 'utf8');
    // Value imports only: `import type` and `export type` vanish from the bundle.
    for (const [, typeOnly, spec] of text.matchAll(
      /(?:^|\n)\s*(?:import|export)(\s+type\b)?[^;'"]*?(?:from\s*)?'(\.{1,2}\/[^']+)'/g,
    )) {
      if (typeOnly) continue;
      const base = path.join(path.dirname(file), spec!);
      const found = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find(
        (p) => existsSync(path.join(root, p)) && statSync(path.join(root, p)).isFile(),
      );
      if (found) queue.push(found);
    }
  }
  return seen;
}

const build = path.resolve(import.meta.dirname, '..', '..', 'build');

describe('web build output', () => {
  it('is rebuilt when a module it imports from outside web/ changes', () => {
    const hashed = new Set(buildInputFiles());
    const outside = [...reachedFromWeb()].filter((f) => !f.startsWith('web/'));
    expect(outside).toContain('api/features/usage/budget-wording.ts');
    expect(outside.filter((f) => !hashed.has(f)).join(' ')).toBe('');
    // Tests are not part of the bundle: changing one does not cost a rebuild.
    expect([...hashed].filter((f) => /\.test\.tsx?$/.test(f))).toEqual([]);
  });

  it('prints no warnings (the global setup built the current sources)', () => {
    expect(readFileSync(path.join(build, '.build-log'), 'utf8').trim()).toBe('');
  });
});
