/**
 * Configuration: required secrets stop the program before it declares anything, and every key the example
 * stack file documents is one the program actually reads (a typo there would be silently ignored).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { type MockedResource, runProgram } from './test-mocks';

const here = (file: string) => readFileSync(path.join(import.meta.dirname, file), 'utf8');

it('refuses to run without dbPassword, having declared nothing', async () => {
  const declared: MockedResource[] = [];
  await expect(runProgram({ appSecret: 'x'.repeat(40) }, ['appSecret'], declared)).rejects.toThrow(
    /dbPassword/,
  );
  expect(declared).toEqual([]);
}, 60_000);

it('documents in Pulumi.dev.yaml only keys that index.ts reads', () => {
  const program = here('index.ts');
  const read = new Set([...program.matchAll(/config\.(?:get|require)\w*\('(\w+)'/g)].map((m) => m[1]));
  read.add('appSecret').add('dbPassword').add('redisAuthToken'); // through the requireSecret helper
  const documented = [...here('Pulumi.dev.yaml').matchAll(/ai-studio:(\w+):/g)].map((m) => m[1]!);
  expect(documented.length).toBeGreaterThan(10);
  expect(documented.filter((key) => !read.has(key))).toEqual([]);
  for (const secret of ['appSecret', 'dbPassword', 'redisAuthToken']) {
    expect(program).toContain(`requireSecret('${secret}'`);
    expect(here('Pulumi.dev.yaml')).toContain(`--secret ${secret}`);
  }
  expect(here('Pulumi.yaml')).toMatch(/^main: index\.ts$/m);
});
