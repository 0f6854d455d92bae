/**
 * The transport's bounds and routes: https, an outbound proxy (CONNECT tunnel and absolute-URL http),
 * NO_PROXY, the headers timeout, backpressure, and a stale keep-alive socket — over real sockets.
 */
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect as netConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../tests/helpers/self-signed';
import { createHttpFetch, UPSTREAM_DEFAULTS, type UpstreamOptions } from './http-fetch';
import { proxyFor, proxySettingsFromEnv } from './upstream-options';

const tls = selfSignedCertificate();
const servers: Server[] = [];
const connections = new Set<Socket>();
const listen = async <S extends Server>(server: S): Promise<string> => {
  servers.push(server);
  server.on('connection', (socket: Socket) => connections.add(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
};
afterAll(async () => {
  for (const socket of connections) socket.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
});

const options = (over: Partial<UpstreamOptions> = {}): UpstreamOptions => ({
  ...UPSTREAM_DEFAULTS,
  proxy: proxySettingsFromEnv({}),
  ca: tls?.cert,
  ...over,
});

/** A CONNECT + absolute-URL forward proxy that records what it carried. */
async function startProxy() {
  const seen: string[] = [];
  const proxy = createHttpServer((req, res) => {
    seen.push(`GET-VIA ${req.url}`);
    const target = new URL(req.url!);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  proxy.on('connect', (req, client: Socket, head) => {
    seen.push(`CONNECT ${req.url} ${req.headers['proxy-authorization'] ?? ''}`.trim());
    if (req.url?.startsWith('refused')) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const [host, port] = req.url!.split(':');
    const upstream = netConnect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return { address: await listen(proxy), seen };
}

describe.skipIf(!tls)('httpFetch transport', () => {
  let httpsBase = '';
  let httpBase = '';
  beforeAll(async () => {
    httpsBase = `https://${await listen(
      createHttpsServer({ key: tls!.key, cert: tls!.cert }, (req, res) => res.end(`secure ${req.url}`)),
    )}`;
    httpBase = `http://${await listen(createHttpServer((req, res) => res.end(`plain ${req.url}`)))}`;
  });

  it('speaks https to a server whose certificate authority it was given', async () => {
    const fetch = createHttpFetch(options());
    expect(await (await fetch(`${httpsBase}/direct`)).text()).toBe('secure /direct');
    const untrusted = await createHttpFetch(options({ ca: undefined }))(`${httpsBase}/x`).catch((e) => e);
    expect(untrusted).toMatchObject({ message: 'fetch failed' });
  });

  it('tunnels https through HTTPS_PROXY (with its credentials) and sends http to HTTP_PROXY', async () => {
    const { address, seen } = await startProxy();
    const proxy = proxySettingsFromEnv({
      HTTPS_PROXY: `http://district:s%40cret@${address}`,
      http_proxy: `http://${address}`,
    });
    const fetch = createHttpFetch(options({ proxy }));
    expect(await (await fetch(`${httpsBase}/tunnelled`)).text()).toBe('secure /tunnelled');
    expect(await (await fetch(`${httpsBase}/again`)).text()).toBe('secure /again');
    expect(await (await fetch(`${httpBase}/forwarded`)).text()).toBe('plain /forwarded');
    const basic = `Basic ${Buffer.from('district:s@cret').toString('base64')}`;
    // One tunnel, kept alive for the second call.
    expect(seen).toEqual([
      `CONNECT ${httpsBase.slice('https://'.length)} ${basic}`,
      `GET-VIA ${httpBase}/forwarded`,
    ]);
  });

  it('reports a refused tunnel as a failed fetch', async () => {
    const { address } = await startProxy();
    const fetch = createHttpFetch(
      options({ proxy: proxySettingsFromEnv({ HTTPS_PROXY: `http://${address}` }) }),
    );
    const err = await fetch('https://refused.example:443/').catch((e) => e);
    expect(err).toMatchObject({
      message: 'fetch failed',
      cause: { message: expect.stringMatching(/HTTP 403/) },
    });
  });

  it('goes direct for NO_PROXY hosts, domains and ports', () => {
    const settings = proxySettingsFromEnv({
      HTTPS_PROXY: 'proxy.district.example:3128',
      NO_PROXY: 'localhost, .internal.example, 10.0.0.5:8443',
    });
    const via = (u: string) => proxyFor(new URL(u), settings)?.host ?? null;
    expect(via('https://api.openai.com/v1')).toBe('proxy.district.example:3128');
    expect(via('https://localhost:9000/')).toBeNull();
    expect(via('https://models.internal.example/')).toBeNull();
    expect(via('https://10.0.0.5:8443/')).toBeNull();
    expect(via('https://10.0.0.5/')).toBe('proxy.district.example:3128');
    expect(via('http://api.openai.com/')).toBeNull(); // no HTTP_PROXY set
    expect(() => proxySettingsFromEnv({ HTTPS_PROXY: 'http://[bad' })).toThrow(/HTTPS_PROXY/);
  });

  it('gives up when no headers arrive in time, with the timeout named', async () => {
    const silent = `http://${await listen(createHttpServer(() => {}))}`;
    const err = await createHttpFetch(options({ headersTimeoutMs: 150 }))(`${silent}/`).catch((e) => e);
    expect(err).toMatchObject({ message: 'fetch failed', cause: { code: 'UND_ERR_HEADERS_TIMEOUT' } });
  });

  it('applies backpressure: an unread body stops the upstream writing', async () => {
    let written = 0;
    let blocked = false;
    const chunk = 'x'.repeat(16 * 1024);
    const base = `http://${await listen(
      createHttpServer((_req, res) => {
        const pump = () => {
          while (written < 4_000) {
            written++;
            if (!res.write(chunk)) {
              blocked = true;
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        pump();
      }),
    )}`;
    const res = await createHttpFetch(options())(`${base}/big`);
    await expect.poll(() => blocked).toBe(true);
    // Nothing is read for a while: the upstream stops once the socket and stream buffers are full (a few
    // MB at most), far short of the 64 MB body. Without backpressure it would all be written by then.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(written).toBeLessThan(4_000 / 4);
    const stalled = written;
    await new Promise((r) => setTimeout(r, 300));
    expect(written).toBeLessThan(4_000 / 4);
    expect(written - stalled).toBeLessThan(64); // at most what a late drain lets through, not a flow
    let bytes = 0;
    const reader = res.body!.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
    expect(bytes).toBe(4_000 * chunk.length);
  });

  it('retries once on a fresh socket when a reused keep-alive socket turns out closed', async () => {
    const sockets = new Set<Socket>();
    let served = 0;
    const base = `http://${await listen(
      createHttpServer((req, res) => {
        sockets.add(req.socket);
        served++;
        // The second request arrives on the kept-alive socket: drop it unanswered, as an idle-closing peer does.
        if (served === 2) return req.socket.destroy();
        res.end(`answer ${served}`);
      }),
    )}`;
    const fetch = createHttpFetch(options());
    expect(await (await fetch(`${base}/one`, { method: 'POST', body: '1' })).text()).toBe('answer 1');
    expect(await (await fetch(`${base}/two`, { method: 'POST', body: '2' })).text()).toBe('answer 3');
    expect(sockets.size).toBe(2);
  });
});
