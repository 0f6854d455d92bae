import type { PGlite } from '@electric-sql/pglite';

export interface PgliteSocketServer {
  stop(): Promise<void>;
}

export declare function servePgliteSocket(
  db: PGlite,
  options: { path: string; maxConnections?: number },
): Promise<PgliteSocketServer>;
