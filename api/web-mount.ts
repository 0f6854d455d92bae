/**
 * Mounting Remix inside Hono. Production loads build/server; development runs Vite in middleware mode
 * (see api/dev-server.ts). Routes reach services only through the load context (STACK-NOTES trap 2).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequestHandler, type ServerBuild } from '@remix-run/node';
import type { Ctx } from './lib/ctx';
import type { Services } from './services';

export interface WebLoadContext {
  services: Services;
  ctx: Ctx;
  nonce: string;
  requestId: string;
}

export type RemixHandler = (request: Request, loadContext: WebLoadContext) => Promise<Response>;

export const BUILD_DIR = path.resolve(import.meta.dirname, '..', 'build');

export async function productionRemixHandler(buildDir = BUILD_DIR): Promise<RemixHandler> {
  const build = (await import(pathToFileURL(path.join(buildDir, 'server', 'index.js')).href)) as ServerBuild;
  const handle = createRequestHandler(build, 'production');
  return (request, loadContext) => handle(request, loadContext as never);
}

export function devRemixHandler(load: () => Promise<ServerBuild>): RemixHandler {
  return async (request, loadContext) => {
    const handle = createRequestHandler(await load(), 'development');
    return handle(request, loadContext as never);
  };
}
