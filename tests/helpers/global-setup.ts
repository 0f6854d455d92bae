import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildPgliteTemplate, buildPostgresTemplate } from './template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  // Browser tests and `startTestApp({ web: true })` serve the production web build.
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, '../../scripts/ensure-build.mjs')], {
    stdio: 'inherit',
  });
  project.provide('pgliteTemplate', await buildPgliteTemplate());
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    project.provide('postgresTemplate', null);
    return;
  }
  const template = await buildPostgresTemplate(base);
  project.provide('postgresTemplate', template.name);
  return () => template.drop();
}
