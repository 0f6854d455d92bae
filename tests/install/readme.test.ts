/**
 * The README's quick start is what a newcomer runs (issue 15.12): its two commands, that the first start
 * builds the web app and roughly how long that takes, and how to stop the server.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  engines: { node: string };
};

describe('README quick start', () => {
  it('gives the two commands, and both are scripts of package.json', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toMatch(/^npm test\b/m);
    expect(pkg.scripts.start).toBeTruthy();
    expect(pkg.scripts.test).toBeTruthy();
  });

  it('says the first start builds the web app (and about how long), and how to stop the server', () => {
    expect(readme).toMatch(/first start builds the web app \(about \d+ seconds/);
    expect(readme).toMatch(/Stop the server with Ctrl\+C/);
    expect(readme).toContain('SIGTERM');
  });

  it('names the Node version package.json accepts', () => {
    const oldest = /Node\.js (\d+) \(≥ ([\d.]+)\)/.exec(readme);
    expect(oldest).not.toBeNull();
    expect(pkg.engines.node).toContain(`>=${oldest![2]}`);
  });
});
