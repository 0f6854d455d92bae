/**
 * Serves a PGlite database on a unix socket to many postgres-protocol clients.
 *
 * All clients share PGlite's one Postgres session, so a client keeps the session from its first
 * extended-protocol message until its Sync (or simple Query), and for as long as it has a transaction open
 * — the same guarantee a real server gives each connection: another client's Bind can never land between
 * this one's Bind and Execute (@electric-sql/pglite-socket's queue interleaves clients message by message).
 *
 * Whatever one read of a client's socket holds is run as one batch — PGlite's backend reads a buffer of
 * several messages as a real backend reads its socket — and the answer goes back in one write. Handling it
 * message by message (pglite-socket's handler) cost one call into PGlite, one socket write on this side and
 * one read on the client's for every Bind, Execute and Sync (docs/decisions/026-embedded-database-thread.md).
 *
 * Plain JavaScript (types in pglite-server.d.mts): the embedded database's thread (pglite-host.mjs) runs it
 * without a TypeScript loader.
 */
import { rmSync } from 'node:fs';
import net from 'node:net';

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const STARTUP = 0; // a startup packet has no type byte: its length's high byte
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);
const NO_ENCRYPTION = Buffer.from('N');
const NOTHING = Buffer.alloc(0);

/** @param {string} text */
function queryMessage(text) {
  const body = Buffer.from(`${text}\0`, 'utf8');
  const out = Buffer.alloc(5 + body.length);
  out[0] = QUERY;
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return new Uint8Array(out);
}

/** @typedef {{ client: Client, batch: Uint8Array, last: number }} Item */

/** Runs the clients' batches one at a time, with per-client session ownership. */
class SessionQueue {
  /** @type {Item[]} */
  #queue = [];
  /** @type {Client | null} */
  #owner = null;
  #running = false;

  /** @param {import('@electric-sql/pglite').PGlite} db */
  constructor(db) {
    this.db = db;
  }

  /**
   * `last`: the type of the batch's last message (STARTUP, TERMINATE or a protocol message type).
   * @param {Client} client
   * @param {Uint8Array} batch
   * @param {number} last
   */
  push(client, batch, last) {
    this.#queue.push({ client, batch, last });
    void this.#run();
  }

  /**
   * A client went away: forget its batches and, if it held the session, end its protocol sequence and roll
   * back its transaction, as a real server does when a backend exits.
   * @param {Client} client
   */
  async drop(client) {
    this.#queue = this.#queue.filter((item) => item.client !== client);
    await this.#release(client);
    void this.#run();
  }

  /**
   * If `client` holds the session: end its protocol sequence and roll back its transaction.
   * @param {Client} client
   */
  async #release(client) {
    if (this.#owner !== client) return;
    await this.db.runExclusive(async () => {
      await this.db.execProtocolRaw(SYNC_MESSAGE);
      if (this.db.isInTransaction()) await this.db.execProtocolRaw(queryMessage('ROLLBACK'));
    });
    this.#owner = null;
  }

  #next() {
    if (this.#owner === null) return this.#queue.shift();
    const index = this.#queue.findIndex((item) => item.client === this.#owner);
    return index === -1 ? undefined : this.#queue.splice(index, 1)[0];
  }

  /**
   * After a batch ending with this message type, does its client keep the session?
   * @param {number} type
   */
  #keepsSession(type) {
    if (type === SYNC || type === QUERY) return this.db.isInTransaction();
    if (type === STARTUP) return false;
    return true; // Parse/Bind/Describe/Execute/Close/Flush: a sequence is under way until its Sync
  }

  async #run() {
    if (this.#running) return;
    this.#running = true;
    try {
      for (let item = this.#next(); item; item = this.#next()) {
        const { client, batch, last } = item;
        if (client.socket.destroyed) continue; // its session is released when its close arrives
        if (last === TERMINATE) {
          // Never passed to the one shared session: the client's unfinished work is rolled back.
          await this.#release(client);
          client.end();
          continue;
        }
        /** @type {Buffer[]} */
        const answer = [];
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(batch, {
              // A view of PGlite's memory, reused by the next call: copied.
              onRawData: (data) => answer.push(Buffer.from(data)),
            }),
          );
          this.#owner = this.#keepsSession(last) ? client : null;
          client.send(answer);
        } catch (err) {
          this.#owner = null;
          client.fail(err);
        }
      }
    } finally {
      this.#running = false;
    }
  }
}

/** One client connection: splits what it reads into batches of whole messages for the queue. */
class Client {
  #started = false;
  /** @type {Buffer} */
  #input = NOTHING;
  closed = false;

  /**
   * @param {net.Socket} socket
   * @param {SessionQueue} queue
   */
  constructor(socket, queue) {
    this.socket = socket;
    this.queue = queue;
    socket.on('data', (chunk) => this.#read(chunk));
  }

  /** @param {Buffer} chunk */
  #read(chunk) {
    const input = this.#input.length ? Buffer.concat([this.#input, chunk]) : chunk;
    let start = 0;
    let at = 0;
    let last = -1;
    while (!this.closed) {
      if (!this.#started) {
        if (input.length - at < 8) break;
        const length = input.readInt32BE(at);
        if (length < 8) return this.fail(new Error('malformed startup packet'));
        if (input.length - at < length) break;
        const code = input.readInt32BE(at + 4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) this.socket.write(NO_ENCRYPTION);
        else if (code === CANCEL_REQUEST)
          return this.end(); // not supported: the client just closes
        else {
          this.queue.push(this, input.subarray(at, at + length), STARTUP);
          this.#started = true;
        }
        at += length;
        start = at;
        continue;
      }
      if (input.length - at < 5) break;
      const length = 1 + input.readInt32BE(at + 1);
      // A length below its own four bytes is no message: the client is not speaking the protocol.
      if (length < 5) return this.fail(new Error('malformed message'));
      if (input.length - at < length) break;
      const type = /** @type {number} */ (input[at]);
      if (type === TERMINATE) {
        if (at > start) this.queue.push(this, input.subarray(start, at), last);
        this.queue.push(this, input.subarray(at, at + length), TERMINATE);
        start = at + length;
      }
      last = type;
      at += length;
    }
    if (at > start) this.queue.push(this, input.subarray(start, at), last);
    // What is left of a message that has not fully arrived (none: the read's buffer is let go).
    this.#input = at === input.length ? NOTHING : input.subarray(at);
  }

  /** @param {Buffer[]} answer */
  send(answer) {
    if (this.closed || answer.length === 0) return;
    this.socket.write(answer.length === 1 ? /** @type {Buffer} */ (answer[0]) : Buffer.concat(answer));
  }

  /**
   * The connection is unusable (PGlite failed on its batch, or it broke the protocol): it is closed.
   * @param {unknown} _err
   */
  fail(_err) {
    this.socket.destroy();
  }

  end() {
    this.socket.end();
  }
}

/**
 * @param {import('@electric-sql/pglite').PGlite} db
 * @param {{ path: string, maxConnections?: number }} options
 * @returns {Promise<import('./pglite-server.d.mts').PgliteSocketServer>}
 */
export async function servePgliteSocket(db, options) {
  const queue = new SessionQueue(db);
  /** @type {Set<Client>} */
  const clients = new Set();
  /** Sessions being released for clients that went away: stop waits for them. @type {Set<Promise<void>>} */
  const releasing = new Set();
  const max = options.maxConnections ?? 100;
  const server = net.createServer((socket) => {
    if (clients.size >= max) {
      socket.on('error', () => socket.destroy());
      socket.end('Too many connections\n');
      return;
    }
    const client = new Client(socket, queue);
    clients.add(client);
    const close = () => {
      if (client.closed) return;
      client.closed = true;
      clients.delete(client);
      const released = queue.drop(client).catch(() => {});
      releasing.add(released);
      void released.then(() => releasing.delete(released));
    };
    socket.on('close', close);
    socket.on('error', () => {
      close();
      socket.destroy();
    });
  });
  await db.waitReady;
  rmSync(options.path, { force: true });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.path, () => resolve(undefined));
  });
  return {
    async stop() {
      for (const client of clients) client.socket.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      await Promise.all(releasing);
    },
  };
}
