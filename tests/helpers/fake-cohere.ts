/**
 * A fake Cohere rerank API (`POST /v2/rerank`) on a real node:http server. It refuses a request without
 * `Authorization: Bearer <its key>` (401), answers `{ id, results: [{ index, relevance_score }], meta }` with
 * the documents in reverse of the order sent (so a test can tell reranked from fused), or `fail` (a status,
 * `'bad-json'` for a 200 whose body is not JSON, or `'hang'`: no answer until closed). It records what it
 * was sent.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCohereRequest {
  path: string | undefined;
  authorization: string | undefined;
  body: { model?: string; query?: string; documents?: string[]; top_n?: number };
}

export interface FakeCohere {
  baseURL: string;
  apiKey: string;
  requests: FakeCohereRequest[];
  /** When set, every request fails this way. */
  fail: number | 'bad-json' | 'hang' | null;
  close(): Promise<void>;
}

export async function startFakeCohere(apiKey = 'co-fake-key-0123456789'): Promise<FakeCohere> {
  const fake = { apiKey, requests: [] as FakeCohereRequest[], fail: null } as FakeCohere;
  const server = createServer(async (req, res) => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    let body: FakeCohereRequest['body'] = {};
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch {}
    fake.requests.push({ path: req.url, authorization: req.headers.authorization, body });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    if (req.method !== 'POST' || req.url !== '/v2/rerank') return send(404, { message: 'not found' });
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(401, { message: 'invalid api token' });
    if (fake.fail === 'hang') return;
    if (fake.fail === 'bad-json') return send(200, '<html>not json</html>');
    if (fake.fail) return send(fake.fail, { message: 'the fake is failing' });
    const documents = body.documents ?? [];
    if (!body.model || !body.query || documents.length === 0)
      return send(400, { message: 'model, query and documents are required' });
    const n = Math.min(body.top_n ?? documents.length, documents.length);
    const results = documents
      .map((_, i) => documents.length - 1 - i)
      .slice(0, n)
      .map((index, rank) => ({ index, relevance_score: Number((0.99 - rank * 0.1).toFixed(2)) }));
    send(200, { id: 'fake-rerank', results, meta: { billed_units: { search_units: 1 } } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseURL: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
