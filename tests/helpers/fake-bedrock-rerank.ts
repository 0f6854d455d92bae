/**
 * A fake Amazon Bedrock runtime for rerank models on a real node:http server: `POST /model/{modelId}/invoke`
 * (InvokeModel). It refuses (403 with `x-amzn-errortype`, as Bedrock does) a request whose SigV4 signature
 * for service `bedrock` in its region does not verify (tests/helpers/sigv4.ts) or whose Bearer token is not
 * its Bedrock API key, and (400
 * ValidationException) a body not in the model's shape: `{ query, documents: string[], top_n? }`, plus
 * `api_version: 2` for Cohere models (`cohere.rerank-v3-5:0`) and nothing else for Amazon's
 * (`amazon.rerank-v1:0`). It answers `{ results: [{ index, relevance_score }] }` with the documents in reverse
 * of the order sent (so a test can tell reranked from fused), or `fail`: a status, `'bad-json'` (a 200 that
 * is not JSON) or `'hang'` (no answer until closed). It records what it was sent.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sigV4Refusal } from './sigv4';

export interface FakeBedrockRerankRequest {
  /** The model id from the path, decoded. */
  modelId: string | null;
  path: string | undefined;
  authorization: string;
  body: Record<string, unknown>;
  status: number;
}

export interface FakeBedrockRerank {
  /** http://127.0.0.1:<port>, for the `bedrock.base_url` setting. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A Bedrock API key it also accepts (`Authorization: Bearer …`). */
  apiKey: string;
  requests: FakeBedrockRerankRequest[];
  fail: number | 'bad-json' | 'hang' | null;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** What is wrong with a rerank body for this model, or null. */
function shapeError(modelId: string, body: Record<string, unknown>): string | null {
  const cohere = /(^|\/)cohere\./.test(modelId);
  const allowed = new Set(['query', 'documents', 'top_n', ...(cohere ? ['api_version'] : [])]);
  const extra = Object.keys(body).filter((k) => !allowed.has(k));
  if (extra.length) return `extraneous key [${extra[0]}] is not permitted`;
  if (typeof body.query !== 'string' || !body.query) return 'query is required';
  const docs = body.documents;
  if (!Array.isArray(docs) || docs.length === 0 || docs.some((d) => typeof d !== 'string'))
    return 'documents must be a non-empty list of strings';
  if (body.top_n !== undefined && !(Number.isInteger(body.top_n) && (body.top_n as number) > 0))
    return 'top_n must be a positive integer';
  if (cohere && body.api_version !== 2) return 'api_version must be 2';
  return null;
}

export async function startFakeBedrockRerank(
  options: { region?: string; accessKeyId?: string; secretAccessKey?: string; apiKey?: string } = {},
): Promise<FakeBedrockRerank> {
  const region = options.region ?? 'eu-west-1';
  const accessKeyId = options.accessKeyId ?? 'AKIDRERANK';
  const secretAccessKey = options.secretAccessKey ?? 'rerank-secret-5a1f9e0c7b';
  const apiKey = options.apiKey ?? 'bedrock-api-key-3c9d27e1f4';
  const fake = { fail: null } as FakeBedrockRerank;
  const requests: FakeBedrockRerankRequest[] = [];

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {}
    const m = /^\/model\/([^/]+)\/invoke$/.exec(req.url ?? '');
    const modelId = m ? decodeURIComponent(m[1]!) : null;
    const send = (status: number, payload: unknown) => {
      requests.push({ modelId, path: req.url, authorization: req.headers.authorization ?? '', body, status });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (status >= 400) headers['x-amzn-errortype'] = `${ERROR_TYPES[status] ?? 'InternalServerException'}:`;
      res.writeHead(status, headers);
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    if (req.method !== 'POST' || !modelId) return send(404, { message: 'UnknownOperationException' });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const refused =
      bearer !== undefined
        ? bearer === apiKey
          ? null
          : 'UnrecognizedClientException'
        : await sigV4Refusal(req, raw, { service: 'bedrock', region, accessKeyId, secretAccessKey });
    if (refused) return send(403, { message: `refused by the fake: ${refused}` });
    if (fake.fail === 'hang') {
      requests.push({
        modelId,
        path: req.url,
        authorization: req.headers.authorization ?? '',
        body,
        status: 0,
      });
      return;
    }
    if (fake.fail === 'bad-json') return send(200, '<html>not json</html>');
    if (fake.fail) return send(fake.fail, { message: 'the fake is failing' });
    const wrong = shapeError(modelId, body);
    if (wrong) return send(400, { message: `Malformed input request: ${wrong}` });
    const documents = body.documents as string[];
    const n = Math.min((body.top_n as number | undefined) ?? documents.length, documents.length);
    const results = documents
      .map((_, i) => documents.length - 1 - i)
      .slice(0, n)
      .map((index, rank) => ({ index, relevance_score: Number((0.99 - rank * 0.1).toFixed(2)) }));
    send(200, { results });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${port}`,
    region,
    accessKeyId,
    secretAccessKey,
    apiKey,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
