// Builds the web app when build/ is missing or older than its sources (npm start on a fresh clone).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const stampFile = path.join(root, 'build', '.source-hash');
const inputs = ['web', 'vite.config.ts', 'package-lock.json', 'tsconfig.json'];

function* files(p) {
  const full = path.join(root, p);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const entry of readdirSync(full).sort()) yield* files(path.join(p, entry));
  } else yield p;
}

const hash = createHash('sha256');
for (const input of inputs)
  for (const f of files(input)) hash.update(f).update(readFileSync(path.join(root, f)));
const digest = hash.digest('hex');

const built = existsSync(path.join(root, 'build', 'server', 'index.js'));
const current = built && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest;
if (!current || process.argv.includes('--force')) {
  console.error('ai-studio: building the web app (first start or sources changed)…');
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', '@remix-run', 'dev', 'dist', 'cli.js'), 'vite:build'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  writeFileSync(stampFile, digest);
}
