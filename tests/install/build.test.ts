/**
 * The first `npm start` builds the web app in front of a newcomer: whatever the build writes to stderr
 * (kept in build/.build-log by scripts/ensure-build.mjs) must be nothing they could mistake for an error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const build = path.resolve(import.meta.dirname, '..', '..', 'build');

describe('web build output', () => {
  it('prints no warnings (the global setup built the current sources)', () => {
    expect(readFileSync(path.join(build, '.build-log'), 'utf8').trim()).toBe('');
  });
});
