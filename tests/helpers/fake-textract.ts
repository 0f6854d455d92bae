/**
 * A fake Amazon Textract (DetectDocumentText, AWS JSON 1.1) on a real node:http server: it refuses a
 * request whose `Authorization` is not a SigV4 header for service `textract` in its region, whose
 * signature does not verify (tests/helpers/sigv4.ts), or whose
 * `X-Amz-Target` is not `Textract.DetectDocumentText`; otherwise it answers the scripted lines as LINE
 * blocks (and a WORD block, which a client must not mistake for a line). It records what it was sent.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sigV4Refusal } from './sigv4';

export interface FakeTextractRequest {
  target: string | undefined;
  authorization: string;
  contentType: string | undefined;
  /** The decoded Document.Bytes. */
  document: Buffer | null;
  status: number;
}

export interface FakeTextract {
  endpoint: string;
  region: string;
  requests: FakeTextractRequest[];
  /** The lines every page answers with. */
  lines: string[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export async function startFakeTextract(options: {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}): Promise<FakeTextract> {
  const requests: FakeTextractRequest[] = [];
  const fake = { lines: ['Read by the fake Textract'] } as { lines: string[] };

  async function refusal(req: IncomingMessage, body: Buffer): Promise<[number, string] | null> {
    const signature = await sigV4Refusal(req, body, {
      ...options,
      service: 'textract',
      signed: ['x-amz-target'],
    });
    if (signature) return [400, signature];
    if (req.headers['x-amz-target'] !== 'Textract.DetectDocumentText')
      return [400, 'UnknownOperationException'];
    if (req.headers['content-type'] !== 'application/x-amz-json-1.1') return [400, 'SerializationException'];
    return null;
  }

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    let document: Buffer | null = null;
    try {
      const bytes = (JSON.parse(body.toString('utf8')) as { Document?: { Bytes?: string } }).Document?.Bytes;
      document = bytes ? Buffer.from(bytes, 'base64') : null;
    } catch {
      document = null;
    }
    const refused = await refusal(req, body);
    const status = refused ? refused[0] : document ? 200 : 400;
    requests.push({
      target: req.headers['x-amz-target'] as string | undefined,
      authorization: req.headers.authorization ?? '',
      contentType: req.headers['content-type'],
      document,
      status,
    });
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    if (refused) return res.end(JSON.stringify({ __type: refused[1], message: 'refused by the fake' }));
    if (!document) return res.end(JSON.stringify({ __type: 'InvalidParameterException' }));
    res.end(
      JSON.stringify({
        DocumentMetadata: { Pages: 1 },
        Blocks: [
          { BlockType: 'PAGE', Id: 'p1' },
          ...fake.lines.map((Text, i) => ({ BlockType: 'LINE', Id: `l${i}`, Text, Confidence: 98.5 })),
          { BlockType: 'WORD', Id: 'w0', Text: 'WORD-ONLY', Confidence: 90 },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${port}`,
    region: options.region,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
