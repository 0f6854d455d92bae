/**
 * How fake AWS services check a request's SigV4 `Authorization` header: parse it, check the scope (access
 * key id, date, region, service) and the headers that must be signed, then re-sign the request with
 * aws4fetch's AwsV4Signer and the secret the fake knows and compare signatures. Answers null when it
 * verifies, else the AWS error type the real service would answer.
 */
import type { IncomingMessage } from 'node:http';
import { AwsV4Signer } from 'aws4fetch';

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export interface SigV4Expectation {
  service: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Headers that must be among the signed ones (`host` always is). */
  signed?: string[];
}

export async function sigV4Refusal(
  req: IncomingMessage,
  body: Buffer,
  expected: SigV4Expectation,
): Promise<string | null> {
  const auth = AUTH.exec(req.headers.authorization ?? '');
  if (!auth) return 'MissingAuthenticationTokenException';
  const [, keyId, date, region, service, signedHeaders, signature] = auth as unknown as string[];
  if (keyId !== expected.accessKeyId) return 'UnrecognizedClientException';
  if (service !== expected.service || region !== expected.region) return 'InvalidSignatureException';
  const datetime = String(req.headers['x-amz-date'] ?? '');
  if (datetime.slice(0, 8) !== date) return 'InvalidSignatureException';
  const signed = signedHeaders!.split(';');
  if (!['host', ...(expected.signed ?? [])].every((h) => signed.includes(h)))
    return 'InvalidSignatureException';
  const headers = new Headers();
  for (const name of signed) if (name !== 'host') headers.set(name, String(req.headers[name] ?? ''));
  const signer = new AwsV4Signer({
    method: req.method,
    url: `http://${req.headers.host}${req.url}`,
    headers,
    body: body.toString('utf8'),
    accessKeyId: keyId!,
    secretAccessKey: expected.secretAccessKey,
    service: expected.service,
    region: expected.region,
    datetime,
    allHeaders: true,
  });
  return (await signer.signature()) === signature ? null : 'InvalidSignatureException';
}
