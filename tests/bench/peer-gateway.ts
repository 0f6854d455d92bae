/**
 * The peer gateway of the relay benchmark: Portkey's open-source AI gateway (`@portkey-ai/gateway`, a dev
 * dependency pinned exactly; Hono on Node), spawned on loopback as its README runs it, with a preload that
 * works around its Node 20 "immutable headers" bug (peer-fetch-preload.mjs; STACK-NOTES 17). It relays
 * OpenAI chat completions to any OpenAI-compatible host named per request; it stores nothing and checks no
 * budget, so it is a floor for the relay's own cost, not the same work.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort, type Spawned, spawnCommand, waitForHttp } from '../helpers/processes';

export const PEER_NAME = `Portkey ${createRequire(import.meta.url)('@portkey-ai/gateway/package.json').version}`;

export interface PeerGateway {
  server: Spawned;
  /** POST here: `${base}/v1/chat/completions`. */
  base: string;
  /** Headers that route a request to an OpenAI-compatible upstream at `baseURL` (…/v1). */
  headers(baseURL: string): Record<string, string>;
}

export async function startPeerGateway(): Promise<PeerGateway> {
  const port = await freePort();
  const entry = path.join(
    path.dirname(createRequire(import.meta.url).resolve('@portkey-ai/gateway/package.json')),
    'build/start-server.js',
  );
  const preload = path.join(import.meta.dirname, 'peer-fetch-preload.mjs');
  const server = spawnCommand(
    process.execPath,
    ['--import', preload, entry, `--port=${port}`, '--headless'],
    { NODE_ENV: 'production' },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/`, server, 60_000);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    server,
    base,
    headers: (baseURL) => ({
      authorization: 'Bearer sk-bench',
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': baseURL,
    }),
  };
}
