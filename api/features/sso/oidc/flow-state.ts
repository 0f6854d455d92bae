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
