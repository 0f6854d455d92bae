/**
 * An https Agent that reaches its targets through an HTTP CONNECT proxy, keeping the tunnelled TLS sockets
 * alive and pooled like direct ones (one tunnel per pooled socket).
 */
import { request as httpRequest } from 'node:http';
import { type AgentOptions, Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { proxyAuthorization } from './upstream-options';

type Callback = (err: Error | null, socket?: Duplex) => void;

export class TunnelAgent extends HttpsAgent {
  constructor(
    private readonly proxy: URL,
    options: AgentOptions & { connectTimeoutMs: number },
  ) {
    super(options);
    this.connectTimeoutMs = options.connectTimeoutMs;
  }

  private readonly connectTimeoutMs: number;

  override createConnection(options: ConnectionOptions & { host?: string; port?: number }, cb: Callback) {
    const target = `${options.host}:${options.port ?? 443}`;
    const auth = proxyAuthorization(this.proxy);
    const connect = httpRequest({
      host: this.proxy.hostname,
      port: this.proxy.port || 80,
      method: 'CONNECT',
      path: target,
      headers: { host: target, ...(auth ? { 'proxy-authorization': auth } : {}) },
      agent: false,
    });
    connect.once('connect', (res, socket) => {
      connect.setTimeout(0);
      if (res.statusCode !== 200) {
        socket.destroy();
        cb(new Error(`The proxy refused the tunnel to ${target} (HTTP ${res.statusCode})`));
        return;
      }
      cb(null, tlsConnect({ ...options, socket }));
    });
    connect.setTimeout(this.connectTimeoutMs, () =>
      connect.destroy(
        Object.assign(new Error(`The proxy did not open a tunnel within ${this.connectTimeoutMs} ms`), {
          code: 'UND_ERR_CONNECT_TIMEOUT',
        }),
      ),
    );
    connect.once('error', (err) => cb(err));
    connect.end();
    return undefined as unknown as Duplex;
  }
}
