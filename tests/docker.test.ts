/**
 * No Docker engine here, so the Dockerfile is checked statically: the properties the deployment relies on,
 * that every COPY source exists (and is not dropped by .dockerignore), and that everything the server,
 * the workers and the CLI import at run time is inside the image and a production dependency.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  image: string;
  name: string;
  steps: Instruction[];
}

/** Joins continuation lines, drops comments, splits into stages at each FROM. */
function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = op.toUpperCase();
    if (upper === 'FROM') {
      const [, image = '', name = ''] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      stages.push({ image, name, steps: [] });
    } else if (upper === 'ARG' && stages.length === 0) {
      // Global ARGs are not used; a FROM with ${…} would make the base-image check meaningless.
      throw new Error('unexpected global ARG: keep the base image literal');
    } else {
      stages.at(-1)?.steps.push({ op: upper, args });
    }
  }
  return stages;
}

/** COPY sources and flags (`--from`, `--chown`) from a shell-form COPY. */
function parseCopy(args: string) {
  const words = args.split(/\s+/);
  const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((w) => !w.startsWith('--'));
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' };
}

/** .dockerignore patterns that drop a top-level entry (the only kind this file uses). */
function ignoredByDockerignore(entry: string): boolean {
  const patterns = read('.dockerignore')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  return patterns.some((p) => {
    const bare = p.replace(/^\*\*\//, '');
    const regex = new RegExp(`^${bare.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    return regex.test(entry);
  });
}

const stages = parseDockerfile(read('Dockerfile'));
const final = stages.at(-1)!;
const finalOps = (op: string) => final.steps.filter((s) => s.op === op);
const pkg = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('Dockerfile', () => {
  it('is multi-stage on node:20-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toBe('node:20-bookworm-slim');
  });

  it('runs as the non-root node user from before its command', () => {
    const users = finalOps('USER');
    expect(users.at(-1)?.args).toBe('node');
    const userAt = final.steps.lastIndexOf(users.at(-1)!);
    const cmdAt = final.steps.findIndex((s) => s.op === 'CMD');
    expect(userAt).toBeGreaterThanOrEqual(0);
    expect(userAt).toBeLessThan(cmdAt);
  });

  it('sets the container environment contract', () => {
    const env = finalOps('ENV')
      .map((s) => s.args)
      .join(' ');
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
    expect(env).toMatch(/\bPORT=3000\b/);
    expect(env).toMatch(/\bDATA_DIR=\/data\b/);
    expect(finalOps('VOLUME').map((s) => s.args)).toContain('["/data"]');
    expect(finalOps('EXPOSE').map((s) => s.args)).toContain('3000');
  });

  it('health-checks /api/health with node (the slim image has no curl)', () => {
    const [check] = finalOps('HEALTHCHECK');
    expect(check?.args).toContain('/api/health');
    expect(check?.args).toMatch(/CMD \["node"/);
    expect(check?.args).not.toMatch(/curl|wget/);
  });

  it('starts the server with node itself, as npm start does after its build step', () => {
    const [cmd] = finalOps('CMD');
    const argv = JSON.parse(cmd?.args ?? '[]') as string[];
    expect(argv[0]).toBe('node');
    // npm start execs scripts/start.mjs with the same loader, which builds if needed and then imports the
    // entry the image runs.
    const entry = argv.at(-1)!;
    // (With the malloc arena cap the image sets in its environment, unless the caller set one.)
    expect(pkg.scripts.start).toBe(
      `MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-2} exec ${argv.slice(0, -1).join(' ')} scripts/start.mjs`,
    );
    expect(read('Dockerfile')).toMatch(/MALLOC_ARENA_MAX=2/);
    expect(read('scripts/start.mjs')).toContain(`await import('../${entry}')`);
    // The worker command used by the ECS worker service is the workers script.
    expect(pkg.scripts.workers).toBe('node --import tsx workers/index.ts');
    expect(pkg.dependencies.tsx).toBeDefined();
  });

  it('ships production dependencies only in the final stage', () => {
    const installs = final.steps.filter((s) => s.op === 'RUN' && /\bnpm (ci|install|i)\b/.test(s.args));
    for (const run of installs) expect(run.args).toContain('--omit=dev');
    for (const copy of finalOps('COPY').map((s) => parseCopy(s.args))) {
      if (!copy.sources.some((src) => src.includes('node_modules'))) continue;
      const source = stages.find((s) => s.name === copy.from);
      expect(source, `node_modules copied from stage ${copy.from}`).toBeDefined();
      const ci = source!.steps.filter((s) => s.op === 'RUN' && /\bnpm ci\b/.test(s.args));
      expect(ci.length).toBeGreaterThan(0);
      for (const run of ci) expect(run.args).toContain('--omit=dev');
    }
  });

  it('copies only sources that exist and are not excluded by .dockerignore', () => {
    const stageNames = new Set(stages.map((s) => s.name));
    let checked = 0;
    for (const stage of stages) {
      for (const step of stage.steps.filter((s) => s.op === 'COPY')) {
        const copy = parseCopy(step.args);
        if (copy.from) {
          expect(stageNames.has(copy.from), `COPY --from=${copy.from}`).toBe(true);
          continue;
        }
        for (const src of copy.sources) {
          checked++;
          expect(existsSync(path.join(root, src)), `${src} exists`).toBe(true);
          if (src !== '.') expect(ignoredByDockerignore(src.split('/')[0]!), `${src} ignored`).toBe(false);
        }
      }
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('copies build/ from the stage that runs the build, into the folder the server loads', () => {
    const copy = finalOps('COPY')
      .map((s) => parseCopy(s.args))
      .find((c) => c.sources.includes('/app/build'));
    expect(copy?.dest).toBe('./build');
    const builder = stages.find((s) => s.name === copy?.from);
    expect(builder?.steps.some((s) => s.op === 'RUN' && s.args.includes('npm run build'))).toBe(true);
    // The build lands in build/ (ensure-build builds into a scratch folder and renames it to build/).
    expect(read('vite.config.ts')).toContain("buildDirectory: process.env.AISTUDIO_BUILD_DIR ?? 'build'");
    expect(read('scripts/ensure-build.mjs')).toContain("renameSync(scratch, path.join(root, 'build'))");
    expect(read('api/web-mount.ts')).toMatch(
      /BUILD_DIR = path\.resolve\(import\.meta\.dirname, '\.\.', 'build'\)/,
    );
  });

  it('keeps secrets and local state out of the build context', () => {
    for (const entry of ['.env', '.data', 'node_modules', '.git', 'build']) {
      expect(ignoredByDockerignore(entry), entry).toBe(true);
    }
  });
});

// ---- run-time import graph ----

/** Static imports and re-exports that survive compilation (type-only ones are erased). */
function runtimeSpecifiers(source: string): string[] {
  const specs: string[] = [];
  const re =
    /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) {
    if (m[5]) {
      specs.push(m[5]);
      continue;
    }
    if (m[2]) continue;
    const clause = m[3] ?? '';
    const named = /^\{([^}]*)\}$/.exec(clause.trim());
    const allTypes =
      named?.[1]
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .every((s) => s.startsWith('type ')) ?? false;
    if (!allTypes) specs.push(m[4]!);
  }
  // Dynamic imports with a literal specifier.
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]!);
  // Worker thread entries: new Worker(new URL('./entry.mjs', import.meta.url)).
  for (const m of source.matchAll(
    /\bnew URL\(\s*['"](\.[^'"]+\.(?:mjs|js|ts))['"]\s*,\s*import\.meta\.url\s*\)/g,
  ))
    specs.push(m[1]!);
  return specs;
}

function resolveLocal(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`cannot resolve ${spec} from ${path.relative(root, from)}`);
}

const packageName = (spec: string) =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;

// Loaded only when NODE_ENV=development (Vite middleware); never in the image.
const DEV_ONLY = new Set(['api/dev-server.ts']);

function walk(entries: string[]) {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((e) => path.join(root, e));
  while (queue.length) {
    const file = queue.pop()!;
    const rel = path.relative(root, file);
    if (files.has(rel) || DEV_ONLY.has(rel)) continue;
    files.add(rel);
    for (const spec of runtimeSpecifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) queue.push(resolveLocal(file, spec));
      else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) packages.add(packageName(spec));
    }
  }
  return { files, packages };
}

describe('image contents cover what runs', () => {
  const copied = finalOps('COPY')
    .map((s) => parseCopy(s.args))
    .filter((c) => !c.from)
    .flatMap((c) => c.sources);
  const entries = ['api/server.ts', 'workers/index.ts', 'api/cli/main.ts', 'db/migrate.ts'];

  it('contains every file reachable from the server, workers and CLI', () => {
    const { files } = walk(entries);
    expect(files.size).toBeGreaterThan(20);
    // The document extraction worker is reached through its entry file.
    expect(files).toContain('api/extract/worker.ts');
    const missing = [...files].filter(
      (f) => !copied.some((src) => f === src || f.startsWith(`${src.replace(/\/$/, '')}/`)),
    );
    expect(missing).toEqual([]);
    // Migrations are read from disk, not imported.
    expect(copied).toContain('db');
    expect(readdirSync(path.join(root, 'db', 'migrations')).some((f) => f.endsWith('.sql'))).toBe(true);
  });

  it('needs only production dependencies at run time', () => {
    const { packages } = walk(entries);
    expect(packages.size).toBeGreaterThan(5);
    const notProd = [...packages].filter((p) => !(p in pkg.dependencies));
    expect(notProd).toEqual([]);
  });

  it('the web build imports only production dependencies', () => {
    // Global setup built it, but another run may be rebuilding: wait for (or make) a current build.
    execFileSync(process.execPath, [path.join(root, 'scripts', 'ensure-build.mjs')], { stdio: 'ignore' });
    const bundle = read('build/server/index.js');
    const imported = new Set<string>();
    for (const m of bundle.matchAll(/^import\s[^;]*?from\s*["']([^"']+)["']/gm)) imported.add(m[1]!);
    const external = [...imported].filter((s) => !s.startsWith('.') && !s.startsWith('node:'));
    expect(external.length).toBeGreaterThan(0);
    expect(external.map(packageName).filter((p) => !(p in pkg.dependencies))).toEqual([]);
  }, 300_000);
});
