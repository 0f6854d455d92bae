/**
 * A network guard for tests that must prove something works offline. Loaded (with NETWORK_GUARD_LOG naming a
 * file), it makes every outbound connection attempt of this thread to a non-loopback address throw, and
 * appends one JSON line per attempt (and one when it is installed) to that file:
 * - `net.Socket#connect` (TCP, TLS, http, https, http2 and the fetch of undici all connect through it);
 * - `dns.lookup` / `dns.resolve*` and their promise forms; `dgram` sends;
 * - `globalThis.fetch` (recorded with the URL before undici would connect).
 * It follows every thread: each `new Worker(…)` of a guarded thread gets `--require <this file>` in its
 * execArgv, so the worker (and any worker it starts) is guarded before its own code runs; each start is
 * recorded with the child's thread id and script. Code that took `Worker` before the guard was installed
 * at run time (not preloaded) keeps the unguarded one: install it before loading such code.
 * CommonJS on purpose: `--require` preloads also run in worker threads, `--import` ones do not (Node 20).
 */
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');
const dgram = require('node:dgram');
const workerThreads = require('node:worker_threads');
const { syncBuiltinESMExports } = require('node:module');

const LOG = process.env.NETWORK_GUARD_LOG;
const GUARD = 'network-guard';
const originals = [];

function record(entry) {
  fs.appendFileSync(LOG, `${JSON.stringify({ ...entry, thread: workerThreads.threadId })}\n`);
}

function isLoopback(host) {
  if (host === undefined || host === null || host === '') return true; // net defaults to localhost
  const h = String(host)
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || /^::ffff:127\./.test(h);
}

function blocked(kind, target) {
  record({ event: 'blocked', kind, target });
  const err = new Error(`${GUARD}: ${kind} to ${target} blocked (no network in this test)`);
  err.code = 'ENETUNREACH';
  return err;
}

function patch(object, name, make) {
  const original = object[name];
  originals.push([object, name, original]);
  object[name] = make(original);
}

function install() {
  patch(
    net.Socket.prototype,
    'connect',
    (original) =>
      function connect(...args) {
        const first = args[0];
        const options = Array.isArray(first) ? first[0] : first;
        if (options && typeof options === 'object') {
          if (options.path === undefined && !isLoopback(options.host))
            throw blocked('connect', `${options.host}:${options.port}`);
        } else if (typeof first === 'number' || /^\d+$/.test(String(first))) {
          const host = typeof args[1] === 'string' ? args[1] : undefined;
          if (!isLoopback(host)) throw blocked('connect', `${host}:${first}`);
        }
        return original.apply(this, args);
      },
  );
  for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
    patch(
      dns,
      name,
      (original) =>
        function guarded(host, ...rest) {
          if (!isLoopback(host)) {
            const err = blocked(`dns.${name}`, host);
            const callback = rest.at(-1);
            if (typeof callback === 'function') return void process.nextTick(callback, err);
            throw err;
          }
          return original.call(this, host, ...rest);
        },
    );
    patch(
      dns.promises,
      name,
      (original) =>
        async function guarded(host, ...rest) {
          if (!isLoopback(host)) throw blocked(`dns.promises.${name}`, host);
          return original.call(this, host, ...rest);
        },
    );
  }
  patch(
    dgram.Socket.prototype,
    'send',
    (original) =>
      function send(...args) {
        const host = args.find((a, i) => i > 0 && typeof a === 'string');
        if (!isLoopback(host)) throw blocked('dgram.send', host);
        return original.apply(this, args);
      },
  );
  if (typeof globalThis.fetch === 'function')
    patch(
      globalThis,
      'fetch',
      (original) =>
        async function fetch(input, init) {
          const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
          if (/^https?:$/.test(url.protocol) && !isLoopback(url.hostname)) throw blocked('fetch', url.href);
          return original.call(this, input, init);
        },
    );
  patch(workerThreads, 'Worker', (Original) => {
    class GuardedWorker extends Original {
      constructor(filename, options = {}) {
        const execArgv = [...(options.execArgv ?? process.execArgv), '--require', __filename];
        super(filename, { ...options, execArgv });
        const script = options.eval ? 'eval' : String(filename instanceof URL ? filename.pathname : filename);
        record({ event: 'spawned', child: this.threadId, script });
      }
    }
    return GuardedWorker;
  });
  syncBuiltinESMExports();
  record({ event: 'installed', main: workerThreads.isMainThread });
}

/** Puts back what install() replaced (for a guard installed inside a test process). */
function uninstall() {
  for (const [object, name, original] of originals.reverse()) object[name] = original;
  originals.length = 0;
  syncBuiltinESMExports();
}

if (!LOG) throw new Error(`${GUARD}: set NETWORK_GUARD_LOG to the file that records connection attempts`);
install();

module.exports = { uninstall, log: LOG };
