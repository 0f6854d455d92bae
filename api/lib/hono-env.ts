import type { Services } from '../services';
import type { Ctx } from './ctx';
import type { Logger } from './logger';

/** Variables every request carries through the Hono middleware chain. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    /** Set by what may answer with an HTML page (Remix, the API docs, an OAuth error page): markDocument(). */
    document: true | undefined;
    /** The page's CSP nonce, made on first use: cspNonce() in middleware/security-headers.ts. */
    nonce: string | undefined;
    /** 'https' or 'http' as the client used it (X-Forwarded-Proto from a trusted proxy, else the socket). */
    protocol: string;
    services: Services;
    ctx: Ctx;
    /** How the actor was authenticated (api/middleware/auth.ts); null = anonymous. */
    authVia: 'cookie' | 'bearer' | null;
    /** Requests per minute the credential allows (an API key's or OAuth client's limit); null = the default. */
    rateLimitRpm: number | null;
  };
}
