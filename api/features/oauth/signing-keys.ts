/**
 * RS256 signing keys for access and ID tokens. Generated on first start (under an advisory lock, so several
 * instances starting together make one), the private JWK stored encrypted with a key derived from
 * APP_SECRET. The newest unretired key signs. Rotation (`oauth-keys:rotate`) adds a key and retires the
 * others; a retired key stays in the JWKS — and keeps verifying — for PUBLISH_AFTER_RETIRE_MS, longer than any
 * token it signed lives (15 min) plus every instance's key cache (KEY_CACHE_MS).
 *
 * Verification reads an in-process key set (jose `createLocalJWKSet`), reloaded every KEY_CACHE_MS or at
 * once (at most every RELOAD_MIN_MS) when a token names a kid it does not know yet.
 */
import { desc, gt, isNull, or, sql } from 'drizzle-orm';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import type { Queryable } from '../../../db/client';
import { oauthSigningKeys } from '../../../db/schema/index';
import { decrypt, deriveKey, encrypt, randomToken } from '../../lib/crypto';

export const SIGNING_ALG = 'RS256';
const KEY_CACHE_MS = 60_000;
const RELOAD_MIN_MS = 5_000;
export const PUBLISH_AFTER_RETIRE_MS = 60 * 60_000;
/** pg_advisory_xact_lock key for key generation ("oauthkey" in ASCII). */
const GENERATE_LOCK = 0x6f617574686b6579n;

export interface SigningKey {
  kid: string;
  key: CryptoKey;
}

interface Loaded {
  at: number;
  signer: SigningKey;
  jwks: JSONWebKeySet;
  verify: JWTVerifyGetKey;
}

export class SigningKeys {
  private readonly secretKey: Buffer;
  private loaded: Promise<Loaded> | null = null;
  private lastReload = 0;

  constructor(private readonly deps: { db: Queryable; appSecret: string }) {
    this.secretKey = deriveKey(deps.appSecret, 'oauth-signing-keys');
  }

  /** Makes the first key when there is none (boot). */
  async ensure(): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${GENERATE_LOCK})`);
      const [active] = await tx
        .select({ kid: oauthSigningKeys.kid })
        .from(oauthSigningKeys)
        .where(isNull(oauthSigningKeys.retiredAt))
        .limit(1);
      if (!active) await this.insertNew(tx);
    });
  }

  /** Adds a key that signs from now on; the previous ones verify until their tokens have expired. */
  async rotate(): Promise<{ kid: string; retired: string[] }> {
    const result = await this.deps.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${GENERATE_LOCK})`);
      const retired = await tx
        .update(oauthSigningKeys)
        .set({ retiredAt: new Date() })
        .where(isNull(oauthSigningKeys.retiredAt))
        .returning({ kid: oauthSigningKeys.kid });
      const kid = await this.insertNew(tx);
      return { kid, retired: retired.map((r) => r.kid) };
    });
    this.loaded = null;
    return result;
  }

  async signer(): Promise<SigningKey> {
    return (await this.load()).signer;
  }

  /** The published key set (GET /api/oauth/jwks), read fresh so a rotation shows at once on every instance. */
  async jwks(): Promise<JSONWebKeySet> {
    const rows = await this.published();
    if (rows.length === 0) return (await this.load()).jwks;
    return toJwks(rows);
  }

  /** A jose key resolver over the published keys; an unknown kid reloads them once. */
  readonly verifyKey: JWTVerifyGetKey = async (header, token) => {
    const current = await this.load();
    const known = current.jwks.keys.some((k) => k.kid === header.kid);
    if (!known && Date.now() - this.lastReload >= RELOAD_MIN_MS) {
      this.loaded = null;
      return (await this.load()).verify(header, token);
    }
    return current.verify(header, token);
  };

  private load(): Promise<Loaded> {
    const cached = this.loaded;
    if (cached) {
      return cached.then((l) => (Date.now() - l.at < KEY_CACHE_MS ? l : this.reload()));
    }
    return this.reload();
  }

  private reload(): Promise<Loaded> {
    this.lastReload = Date.now();
    const promise = this.read().catch((err: unknown) => {
      if (this.loaded === promise) this.loaded = null;
      throw err;
    });
    this.loaded = promise;
    return promise;
  }

  private async read(): Promise<Loaded> {
    let rows = await this.published();
    if (!rows.some((r) => r.retiredAt === null)) {
      await this.ensure();
      rows = await this.published();
    }
    const active = rows.find((r) => r.retiredAt === null)!;
    const privateJwk = JSON.parse(decrypt(active.privateJwkEncrypted, this.secretKey)) as JWK;
    const key = (await importJWK(privateJwk, SIGNING_ALG)) as CryptoKey;
    const jwks = toJwks(rows);
    return { at: Date.now(), signer: { kid: active.kid, key }, jwks, verify: createLocalJWKSet(jwks) };
  }

  /** Unretired keys and keys retired recently enough that their tokens may still be alive; newest first. */
  private published() {
    const cutoff = new Date(Date.now() - PUBLISH_AFTER_RETIRE_MS);
    return this.deps.db
      .select()
      .from(oauthSigningKeys)
      .where(or(isNull(oauthSigningKeys.retiredAt), gt(oauthSigningKeys.retiredAt, cutoff)))
      .orderBy(desc(oauthSigningKeys.createdAt));
  }

  private async insertNew(db: Queryable): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, {
      modulusLength: 2048,
      extractable: true,
    });
    const kid = randomToken(12);
    const publicJwk = await exportJWK(publicKey);
    const privateJwk = await exportJWK(privateKey);
    await db.insert(oauthSigningKeys).values({
      kid,
      alg: SIGNING_ALG,
      publicJwk: publicJwk as Record<string, unknown>,
      privateJwkEncrypted: encrypt(JSON.stringify(privateJwk), this.secretKey),
    });
    return kid;
  }
}

function toJwks(rows: (typeof oauthSigningKeys.$inferSelect)[]): JSONWebKeySet {
  return { keys: rows.map((r) => ({ ...r.publicJwk, kid: r.kid, alg: r.alg, use: 'sig' }) as JWK) };
}
