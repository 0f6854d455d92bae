/**
 * The state of one sign-in attempt between the redirect to the IdP and its callback: `state`, the PKCE
 * `code_verifier`, the `nonce` and where to go afterwards. It lives in a short-lived HttpOnly cookie sealed
 * with AES-256-GCM (key derived from APP_SECRET, purpose 'sso-flow'), so it can be neither read nor forged,
 * and no server-side storage is needed across instances.
 */
import { z } from 'zod';
import { decrypt, encrypt } from '../../../lib/crypto';

export const FLOW_COOKIE = 'aistudio_sso_flow';
export const FLOW_TTL_MS = 10 * 60_000;

const FlowState = z.object({
  provider: z.string(),
  state: z.string(),
  codeVerifier: z.string(),
  nonce: z.string(),
  next: z.string(),
  expiresAt: z.number(),
});
export type FlowState = z.infer<typeof FlowState>;

export function sealFlow(flow: FlowState, key: Buffer): string {
  return encrypt(JSON.stringify(flow), key);
}

/** null when missing, tampered with, sealed under another key, or expired. */
export function unsealFlow(value: string | undefined, key: Buffer, now = Date.now()): FlowState | null {
  if (!value) return null;
  try {
    const flow = FlowState.parse(JSON.parse(decrypt(value, key)));
    return flow.expiresAt > now ? flow : null;
  } catch {
    return null;
  }
}

const BASE = 'http://same-origin.invalid';
const MAX_NEXT = 1024;

/**
 * Only same-origin paths: `/x` but never `//evil.example` or `/\evil.example` (browsers treat both as
 * another host), nothing with a scheme, and no control characters (the URL parser drops tabs and newlines,
 * which would turn `/\t/evil.example` into `//evil.example`).
 */
export function safeNext(next: string | undefined | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  if (next.length > MAX_NEXT) return '/'; // keeps the sealed cookie far below browsers' 4 KB limit
  if ([...next].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return '/';
  try {
    const url = new URL(next, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}
