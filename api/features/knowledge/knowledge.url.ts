/**
 * Fetching a URL source safely. Only http(s); every hop (the first request and each redirect, at most 5) is
 * checked: a target that is, or resolves to, a private, loopback, link-local, shared, multicast or reserved
 * address is refused unless its host is in the admin setting `knowledge.url_allowed_hosts`. The address
 * checked is the address connected to (the check runs inside the socket's DNS lookup), so a DNS answer that
 * changes between check and connect cannot slip through. Overall timeout and a byte cap on the body.
 */
import dns from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { AppError } from '../../lib/errors';
import { cleanFilename } from '../attachments/attachments.service';

export const URL_TIMEOUT_MS = 15_000;
export const URL_MAX_BYTES = 20 * 1024 * 1024;
const MAX_REDIRECTS = 5;

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** Whether an address is one a URL source may not reach (IPv4-mapped IPv6 judged as its IPv4). */
export function isBlockedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) return blocked.check(address, 'ipv6');
  return true;
}

const refused = (url: string, why: string) =>
  new AppError('validation:knowledge', `${url} cannot be added: ${why}`, {
    details: { fields: { url: why } },
  });

export interface FetchedUrl {
  url: string;
  bytes: Uint8Array;
  contentType: string;
}

function guardedLookup(url: string, allowed: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((a) => isBlockedAddress(a.address));
      if (bad && !allowed)
        return callback(refused(url, `it resolves to a private or local address (${bad.address})`), '', 4);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0] as dns.LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

function requestOnce(url: URL, allowed: boolean, signal: AbortSignal): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isBlockedAddress(host) && !allowed)
    return Promise.reject(refused(url.href, `${host} is a private or local address`));
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      signal,
      lookup: guardedLookup(url.href, allowed),
      headers: { 'user-agent': 'AI-Studio-Knowledge/1', accept: '*/*' },
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

async function readCapped(res: IncomingMessage, url: string, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers['content-length'] ?? 0);
  if (declared > maxBytes) {
    res.destroy();
    throw refused(url, `it is larger than ${maxBytes / 1024 / 1024} MB`);
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of res) {
    size += (part as Buffer).length;
    if (size > maxBytes) {
      res.destroy();
      throw refused(url, `it is larger than ${maxBytes / 1024 / 1024} MB`);
    }
    parts.push(part as Buffer);
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** GETs `input` following redirects, each hop re-checked; `allowedHosts` are `host` or `host:port` entries. */
export async function fetchUrlSource(
  input: string,
  options: { allowedHosts: readonly string[]; timeoutMs?: number; maxBytes?: number },
): Promise<FetchedUrl> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? URL_TIMEOUT_MS);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw refused(input, 'it is not a valid URL');
  }
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw refused(url.href, 'only http and https URLs can be added');
      if (url.username || url.password) throw refused(url.href, 'URLs with credentials are not accepted');
      const allowed = options.allowedHosts.some(
        (h) => h.toLowerCase() === url.hostname.toLowerCase() || h.toLowerCase() === url.host.toLowerCase(),
      );
      const res = await requestOnce(url, allowed, signal);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        url = new URL(res.headers.location, url);
        continue;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        throw refused(url.href, `the server answered HTTP ${status}`);
      }
      const bytes = await readCapped(res, url.href, options.maxBytes ?? URL_MAX_BYTES);
      return { url: url.href, bytes, contentType: String(res.headers['content-type'] ?? '') };
    }
    throw refused(input, `more than ${MAX_REDIRECTS} redirects`);
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (signal.aborted)
      throw refused(url.href, `no answer within ${(options.timeoutMs ?? URL_TIMEOUT_MS) / 1000} s`);
    const cause = (err as { cause?: unknown }).cause ?? err;
    if (cause instanceof AppError) throw cause;
    throw refused(url.href, `it could not be fetched (${(err as Error).message})`);
  }
}

const URL_EXTENSIONS: Record<string, string> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/csv': 'csv',
  'application/json': 'json',
  'application/pdf': 'pdf',
};

/** A readable name for a fetched URL, with an extension from its content type when the path has none. */
export function filenameOfUrl(url: string, contentType: string): string {
  const { hostname, pathname } = new URL(url);
  const last = decodeURIComponent(pathname.split('/').filter(Boolean).pop() ?? '') || hostname;
  if (/\.[a-z0-9]{2,5}$/i.test(last)) return cleanFilename(last);
  const ext = URL_EXTENSIONS[contentType.split(';')[0]!.trim().toLowerCase()];
  return cleanFilename(ext ? `${last}.${ext}` : last);
}
