/**
 * Serves a PGlite database on a unix socket to many postgres-protocol clients.
 *
 * @electric-sql/pglite-socket's own queue interleaves clients message by message: client B's Bind can land
 * between client A's Bind and Execute, and since all clients share one Postgres session, A then finds B's
 * unnamed portal ("portal "" does not exist") or B's statement. Here a client keeps the session from its
 * first extended-protocol message until its Sync (or simple Query), and for as long as it has a transaction
 * open — the same guarantee a real server gives each connection. We reuse pglite-socket's per-connection
 * protocol handler and replace only the queue.
 */
import { rmSync } from 'node:fs';
import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);

function queryMessage(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, 'utf8');
  const out = Buffer.alloc(5 + body.length);
  out[0] = QUERY;
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return new Uint8Array(out);
}

interface Item {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
}

/** Implements the queue interface PGLiteSocketHandler expects, with per-client session ownership. */
export class SessionQueue {
  private queue: Item[] = [];
  private owner: number | null = null;
  private running = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.run();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error('client disconnected'));
      return false;
    });
  }

  /** A client went away while holding the session: end its protocol sequence and roll back its transaction. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    await this.db.runExclusive(() => this.releaseSession());
    this.owner = null;
    void this.run();
  }

  private async releaseSession(): Promise<void> {
    await this.db.execProtocolRaw(SYNC_MESSAGE);
    if (this.db.isInTransaction()) await this.db.execProtocolRaw(queryMessage('ROLLBACK'));
  }

  private next(): Item | undefined {
    if (this.owner === null) return this.queue.shift();
    const index = this.queue.findIndex((item) => item.handlerId === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  /** After this message, does its client keep the session? */
  private keepsSession(message: Uint8Array): boolean {
    const type = message[0];
    if (type === SYNC || type === QUERY) return this.db.isInTransaction();
    if (type === 0) return false; // startup/SSL packets carry no type byte
    return true; // Parse/Bind/Describe/Execute/Close/Flush: a sequence is under way until its Sync
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        const current = item;
        let bytes = 0;
        if (current.message[0] === TERMINATE) {
          // Never pass Terminate to the one shared session. A client quitting inside a transaction (or a
          // half-sent sequence) has its work rolled back, as a real server does when a backend exits.
          if (this.owner === current.handlerId) await this.db.runExclusive(() => this.releaseSession());
          if (this.owner === current.handlerId) this.owner = null;
          current.resolve(0);
          continue;
        }
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
          this.owner = this.keepsSession(current.message) ? current.handlerId : null;
          current.resolve(bytes);
        } catch (err) {
          this.owner = null;
          current.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

export interface PgliteSocketServer {
  stop(): Promise<void>;
}

export async function servePgliteSocket(
  db: PGlite,
  options: { path: string; maxConnections?: number },
): Promise<PgliteSocketServer> {
  const queue = new SessionQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const max = options.maxConnections ?? 100;
  const server = net.createServer((socket) => {
    if (handlers.size >= max) {
      socket.end('Too many connections\n');
      return;
    }
    const handler = new PGLiteSocketHandler({ queryQueue: queue as never, closeOnDetach: true });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });
  await db.waitReady;
  rmSync(options.path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.path, () => resolve());
  });
  return {
    async stop() {
      for (const handler of handlers) await handler.detach(true).catch(() => {});
      handlers.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
