/** Development: Vite in middleware mode on the app's own port (HMR shares the http server). */
import type { Server } from 'node:http';
import type { ServerBuild } from '@remix-run/node';
import { devRemixHandler, type RemixHandler } from './web-mount';

export async function startDevServer(server: Server) {
  const { createServer } = await import('vite');
  const vite = await createServer({ server: { middlewareMode: true, hmr: { server } }, appType: 'custom' });
  const remix: RemixHandler = devRemixHandler(
    () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>,
  );
  return {
    remix,
    middleware: vite.middlewares as unknown as (req: unknown, res: unknown, next: () => void) => void,
    close: () => vite.close(),
  };
}
