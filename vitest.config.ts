import { defineConfig } from 'vitest/config';

// Suites that touch the database run on PGlite always, and again on TEST_DATABASE_URL's Postgres when set.
const DB_SUITES = ['tests/integration/**/*.test.ts', '**/*.db.test.ts'];
// What only a Postgres server has (NOTIFY reaching other connections): the postgres project alone.
const POSTGRES_ONLY = ['**/*.pg.test.ts'];
const E2E = ['tests/e2e/**/*.test.ts'];
const EXCLUDE = ['**/node_modules/**', 'build/**', '.data/**', 'pulumi/node_modules/**'];

export default defineConfig({
  test: {
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['**/*.test.ts', '**/*.test.tsx'],
          exclude: [...EXCLUDE, ...E2E, ...POSTGRES_ONLY],
          env: { TEST_DB_ENGINE: 'pglite' },
        },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: [...DB_SUITES, ...POSTGRES_ONLY],
                exclude: EXCLUDE,
                env: { TEST_DB_ENGINE: 'postgres' },
              },
            },
          ]
        : []),
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E,
          exclude: EXCLUDE,
          fileParallelism: false,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
