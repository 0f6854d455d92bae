// Builds the web app when build/ is missing or older than its sources (npm start on a fresh clone).
// A lock folder keeps parallel callers (test runs, a start) from building over each other.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const stampFile = path.join(root, 'build', '.source-hash');
const lockDir = path.join(root, '.cache', 'build.lock');
// The web bundle also compiles what it imports from api/ and db/schema/ (wordings, schemas, the settings
// registry…): a change there must rebuild it too, or `npm start` after an update serves a stale page.
const inputs = ['web', 'api', 'db/schema', 'vite.config.ts', 'package-lock.json', 'tsconfig.json'];
const TEST_FILE = /\.test\.tsx?$/;

function* files(p) {
  const full = path.join(root, p);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const entry of readdirSync(full).sort()) yield* files(path.join(p, entry));
  } else if (!TEST_FILE.test(p)) yield p;
}

/** The files whose content decides whether build/ is current (paths relative to the project). */
export function buildInputFiles() {
  return inputs.flatMap((input) => [...files(input)]);
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const f of buildInputFiles()) hash.update(f).update(readFileSync(path.join(root, f)));
  return hash.digest('hex');
}

const isCurrent = (digest) =>
  existsSync(path.join(root, 'build', 'server', 'index.js')) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8') === digest;

function acquire() {
  mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      return;
    } catch {
      // Another build holds it; a lock older than 5 minutes is from a dead build.
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 5 * 60_000)
          rmSync(lockDir, { recursive: true, force: true });
      } catch {}
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
}

/** Runs the Vite build as a child; a SIGTERM/SIGINT while it runs stops the child too (no orphan builder). */
function runBuild(scratch) {
  const cli = path.join(root, 'node_modules', '@remix-run', 'dev', 'dist', 'cli.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'vite:build'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production', AISTUDIO_BUILD_DIR: scratch },
    });
    // What the build says on stderr is shown and kept in build/.build-log (a test checks it has no warnings).
    const log = [];
    child.stderr.on('data', (d) => {
      process.stderr.write(d);
      log.push(d);
    });
    const forward = (signal) => child.kill(signal);
    process.on('SIGTERM', forward);
    process.on('SIGINT', forward);
    child.once('close', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', forward);
      if (code === 0) resolve(Buffer.concat(log).toString('utf8'));
      else reject(new Error(signal ? `web build stopped by ${signal}` : `web build failed (exit ${code})`));
    });
  });
}

/** Builds build/ when it is missing or stale (or always with force). Resolves when build/ is current. */
export async function ensureBuild({ force = false } = {}) {
  if (!force && isCurrent(sourceHash())) return;
  acquire();
  const scratch = path.join(root, `.build-${process.pid}`);
  try {
    const digest = sourceHash();
    if (!force && isCurrent(digest)) return;
    const started = Date.now();
    console.error('ai-studio: building the web app (first start or sources changed; about a minute)…');
    rmSync(scratch, { recursive: true, force: true });
    const log = await runBuild(scratch);
    writeFileSync(path.join(scratch, '.build-log'), log);
    writeFileSync(path.join(scratch, '.source-hash'), digest);
    // Swap the finished build in: a running server or test keeps reading a complete build.
    const old = path.join(root, `.build-old-${process.pid}`);
    if (existsSync(path.join(root, 'build'))) renameSync(path.join(root, 'build'), old);
    renameSync(scratch, path.join(root, 'build'));
    rmSync(old, { recursive: true, force: true });
    console.error(`ai-studio: web app built in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(lockDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureBuild({ force: process.argv.includes('--force') }).catch((err) => {
    console.error(`ai-studio: ${err.message}`);
    process.exit(1);
  });
}
