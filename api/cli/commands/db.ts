import { migrationStatus, runMigrations } from '../../../db/migrate';
import type { Command } from '../command';

export const dbStatus: Command = {
  name: 'db:status',
  summary: 'Database engine, connection and migration state',
  needsDatabase: true,
  async run({ io, runtime }) {
    const { database } = runtime.services;
    const [{ version }] = (await database.sql`select version()`) as unknown as [{ version: string }];
    const status = await migrationStatus(database.sql);
    io.result(
      {
        mode: database.mode,
        via:
          database.mode === 'embedded'
            ? database.host
              ? 'opened the data directory'
              : 'server socket'
            : 'DATABASE_URL',
        server: version.split(' on ')[0],
        migrations: status,
      },
      (v) => {
        const r = v as { mode: string; via: string; server: string; migrations: typeof status };
        return [
          `database:   ${r.mode} (${r.via})`,
          `server:     ${r.server}`,
          `migrations: ${r.migrations.applied}/${r.migrations.expected} applied${r.migrations.pending.length ? `, pending: ${r.migrations.pending.join(', ')}` : ''}`,
        ].join('\n');
      },
    );
  },
};

export const dbMigrate: Command = {
  name: 'db:migrate',
  summary: 'Apply pending migrations (also done at every server start)',
  needsDatabase: true,
  async run({ io, runtime }) {
    const { database } = runtime.services;
    await runMigrations(database.db, database.sql);
    const status = await migrationStatus(database.sql);
    io.result(status, (v) => `migrations up to date (${(v as typeof status).applied} applied)`);
  },
};
