import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { onFirstUse } from './on-first-use';

const cache = createRequire(import.meta.url).cache;
const inCache = (name: string) => Object.keys(cache).some((file) => file.includes(`/${name}/`));

describe('onFirstUse', () => {
  it('loads the package on the first call only, and hands out the same module after', () => {
    const common = onFirstUse<typeof import('@zxcvbn-ts/language-common')>('@zxcvbn-ts/language-common');
    expect(inCache('language-common')).toBe(false);
    const first = common();
    expect(inCache('language-common')).toBe(true);
    expect(Object.keys(first.dictionary).length).toBeGreaterThan(0);
    expect(common()).toBe(first);
  });
});
