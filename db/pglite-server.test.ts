/**
 * The embedded database's socket server at the wire: what a client sees of db/pglite-server.mjs beyond the
 * query results db/pglite-server.db.test.ts checks through postgres.js.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgliteSocketServer, servePgliteSocket } from './pglite-server.mjs';

let db: PGlite;
let server: PgliteSocketServer;
const dir = mkdtempSync(path.join(os.tmpdir(), 'aist-socket-'));
const socketFile = path.join(dir, '.s.PGSQL.5432');

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec('create table probe (n int)');
  server = await servePgliteSocket(db, { path: socketFile, maxConnections: 3 });
});
afterAll(async () => {
  await server?.stop();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

function startupMessage(): Buffer {
  const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
  const out = Buffer.alloc(8 + params.length);
  out.writeInt32BE(out.length, 0);
  out.writeInt32BE(196608, 4);
  params.copy(out, 8);
  return out;
}

function typed(type: string, body: Buffer): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0);
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

const query = (text: string) => typed('Q', Buffer.from(`${text}\0`));
const TERMINATE = typed('X', Buffer.alloc(0));

/** A raw client: every chunk the server wrote, and the message types seen so far. */
class RawClient {
  readonly socket: net.Socket;
  readonly chunks: Buffer[] = [];
  private pending = Buffer.alloc(0);
  readonly types: string[] = [];

  /** `untypedFirst`: the server's first byte answers an encryption request and is not a message. */
  constructor(untypedFirst = false) {
    let skip = untypedFirst ? 1 : 0;
    this.socket = net.connect(socketFile);
    this.socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.pending = Buffer.concat([this.pending, chunk.subarray(skip)]);
      skip = 0;
      while (this.pending.length >= 5 && this.pending.length >= 1 + this.pending.readInt32BE(1)) {
        this.types.push(String.fromCharCode(this.pending[0]!));
        this.pending = this.pending.subarray(1 + this.pending.readInt32BE(1));
      }
    });
  }

  /** A client past its startup: the server has said it is ready for queries. */
  static async connected(): Promise<RawClient> {
    const client = new RawClient();
    client.socket.write(startupMessage());
    await client.ready(1);
    return client;
  }

  /** Sends Terminate and waits for the server to close the connection. */
  quit(): Promise<void> {
    this.socket.write(TERMINATE);
    return this.closed();
  }

  /** Resolves once `count` ReadyForQuery messages have arrived in all. */
  async ready(count: number): Promise<void> {
    while (this.types.filter((t) => t === 'Z').length < count) await new Promise((r) => setTimeout(r, 5));
  }

  closed(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.closed) resolve();
      else this.socket.once('close', () => resolve());
    });
  }
}

describe('the embedded database socket server', () => {
  it('refuses encryption with N, then serves the same connection', async () => {
    const client = new RawClient(true);
    const ssl = Buffer.alloc(8);
    ssl.writeInt32BE(8, 0);
    ssl.writeInt32BE(80877103, 4);
    client.socket.write(ssl);
    while (client.chunks.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(client.chunks[0]!.toString()).toBe('N');
    client.chunks.length = 0;
    client.socket.write(startupMessage());
    await client.ready(1);
    expect(client.types).toContain('R'); // AuthenticationOk
    await client.quit();
  });

  it('answers a pipelined batch of queries in one write', async () => {
    const client = await RawClient.connected();
    client.chunks.length = 0;
    client.socket.write(Buffer.concat([query('select 1'), query('select 2'), query('select 3')]));
    await client.ready(4);
    expect(client.types.filter((t) => t === 'D')).toHaveLength(3); // one DataRow per query
    expect(client.chunks).toHaveLength(1);
    await client.quit();
  });

  it('rolls back a transaction whose client sends Terminate inside it, and closes the connection', async () => {
    const quitter = await RawClient.connected();
    quitter.socket.write(query('begin; insert into probe values (42)'));
    await quitter.ready(2);
    await quitter.quit();
    const rows = await db.query<{ c: number }>('select count(*)::int as c from probe where n = 42');
    expect(rows.rows[0]!.c).toBe(0);
    expect(db.isInTransaction()).toBe(false);
  });

  it('closes a connection that sends a malformed message, and keeps serving the others', async () => {
    const bad = await RawClient.connected();
    const malformed = Buffer.from([0x51, 0xff, 0xff, 0xff, 0xf0]); // a Query whose length is negative
    bad.socket.write(malformed);
    await bad.closed();
    const good = await RawClient.connected();
    good.socket.write(query('select 1'));
    await good.ready(2);
    expect(good.types).toContain('D');
    await good.quit();
  });

  it('turns away connections past its limit', async () => {
    const held = await Promise.all([1, 2, 3].map(() => RawClient.connected()));
    const extra = new RawClient();
    await extra.closed();
    expect(Buffer.concat(extra.chunks).toString()).toContain('Too many connections');
    await Promise.all(held.map((c) => c.quit()));
  });
});
