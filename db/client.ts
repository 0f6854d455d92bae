/**
 * One driver path (postgres.js) for both engines: DATABASE_URL, or the embedded PGlite reached through its
 * unix socket. See db/embedded.ts and docs/decisions/002-embedded-postgres-over-a-socket.md.
 */

import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres, { type Sql } from 'postgres';
import { withCommitHooks } from './after-commit';
import { type EmbeddedHost, SOCKET_PORT, socketIsLive, startEmbeddedHost } from './embedded';
import * as schema from './schema/index';

export type Database = PostgresJsDatabase<typeof schema>;
/** A drizzle transaction or the database itself: repos accept either. */
export type Queryable = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

export type ConnectionTarget = { kind: 'url'; url: string } | { kind: 'socket'; socketDir: string };

export interface DbHandle {
  db: Database;
  sql: Sql;
  target: ConnectionTarget;
  mode: 'embedded' | 'postgres';
  /** Set when this process owns the embedded data directory. */
  host?: EmbeddedHost;
  /**
   * LISTEN for NOTIFY on a channel; null on the embedded database, where every socket client shares PGlite's
   * one session (db/pglite-server.mjs), so a notification would reach whichever client ran next.
   */
  listen: ((channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>) | null;
  close(): Promise<void>;
}

export interface ConnectOptions {
  max?: number;
  applicationName?: string;
}

/** Options for drivers other than postgres.js (pg-boss uses node-postgres). */
export function pgOptions(target: ConnectionTarget): Record<string, unknown> {
  return target.kind === 'url'
    ? { connectionString: target.url }
    : { host: target.socketDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres' };
}

export function connect(target: ConnectionTarget, options: ConnectOptions = {}): { db: Database; sql: Sql } {
  const common = {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'ai-studio' },
  };
  if (target.kind === 'url') {
    const sql = postgres(target.url, common);
    return { sql, db: withCommitHooks(drizzle(namedStatements(sql), { schema, casing: 'snake_case' })) };
  }
  const sql = postgres({
    ...common,
    host: target.socketDir,
    port: SOCKET_PORT,
    user: 'postgres',
    database: 'postgres',
  });
  return { sql, db: withCommitHooks(drizzle(namedStatements(sql), { schema, casing: 'snake_case' })) };
}

/**
 * drizzle sends everything through `unsafe()` with prepare off, and postgres.js then sends each
 * parameterised query in two rounds — Parse+Describe+Flush, then Bind+Execute+Sync — every time. Named
 * statements (postgres.js names them per connection and keeps them by query text) take one round from the
 * second use on: half the socket writes and server parses per query (docs/decisions/019-request-cost.md).
 * On the embedded database it is also required: all clients share one Postgres session (db/pglite-server.mjs
 * gives each client the session from its first protocol message to its Sync, and for a whole transaction),
 * so another client's Parse of the unnamed statement could land between the two rounds.
 * Not for a transaction-pooling proxy without prepared-statement support (we deploy none; ADR 005).
 */
function namedStatements(sql: Sql): Sql {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (query: string, params?: unknown[], options?: Record<string, unknown>) =>
          target.unsafe(query, params as never, { ...options, prepare: true });
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

export interface OpenOptions extends ConnectOptions {
  databaseUrl?: string;
  dataDir: string;
  /**
   * `host`: this process must own the embedded data directory (the server).
   * `client`: use a running server's socket when there is one, else open the directory itself (CLI, workers).
   */
  role: 'host' | 'client';
}

export async function openDatabase(options: OpenOptions): Promise<DbHandle> {
  if (options.databaseUrl) {
    const target: ConnectionTarget = { kind: 'url', url: options.databaseUrl };
    const { db, sql } = connect(target, options);
    return {
      db,
      sql,
      target,
      mode: 'postgres',
      listen: async (channel, onPayload) => {
        const sub = await sql.listen(channel, onPayload);
        return () => sub.unlisten();
      },
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const target: ConnectionTarget = { kind: 'socket', socketDir: options.dataDir };
  const host =
    options.role === 'client' && (await socketIsLive(options.dataDir))
      ? undefined
      : await startEmbeddedHost(options.dataDir);
  const { db, sql } = connect(target, options);
  return {
    db,
    sql,
    target,
    mode: 'embedded',
    host,
    listen: null,
    async close() {
      await sql.end({ timeout: 5 });
      await host?.stop();
    },
  };
}
