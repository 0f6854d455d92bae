/**
 * POST /api/mcp: Streamable HTTP through the SDK's web-standard transport, stateless (no session id; a new
 * server per request), JSON responses. Callers authenticate with an `sk-` key or an OAuth access token whose
 * audience is this resource or the whole deployment (api/middleware/auth.ts); without one the answer is 401
 * with `WWW-Authenticate: Bearer resource_metadata=…` (RFC 9728 §5.1), which is how an MCP client that
 * knows only this URL finds our authorization server. GET and DELETE answer 405 (no server-initiated
 * stream, no session to end), which MCP clients handle.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { createRouter } from '../lib/create-router';
import { AppError } from '../lib/errors';
import type { AppEnv } from '../lib/hono-env';
import { errorResponses } from '../lib/openapi';
import { resourceMetadataUrl } from '../oauth/discovery';
import { buildServer } from './server';

/** Before body validation: an anonymous caller learns where to sign in, not the schema. */
const requireBearer = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get('authVia') !== 'bearer')
    throw new AppError('unauthorized:auth', 'Connect with an API key or an OAuth access token', {
      headers: {
        'WWW-Authenticate': `Bearer resource_metadata="${resourceMetadataUrl(c.get('services').oauth.issuer())}"`,
      },
    });
  await next();
});

const JsonRpc = z.object({ jsonrpc: z.literal('2.0') }).catchall(z.unknown());

const route = createRoute({
  method: 'post',
  path: '/mcp',
  tags: ['MCP'],
  summary: 'MCP server (Streamable HTTP, JSON-RPC 2.0): initialize, tools/list, tools/call, ping',
  description:
    'Connect an MCP client to this URL. Authorize with an API key (`mcp:read` lists and calls read tools, `mcp:write` the others) or an OAuth access token; without one the 401 names the protected-resource metadata for OAuth discovery.',
  security: [{ apiKey: [] }, { oauth2: ['mcp:read', 'mcp:write'] }],
  middleware: [requireBearer],
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.union([JsonRpc, z.array(JsonRpc)]) } },
    },
  },
  responses: {
    200: {
      description: 'JSON-RPC response',
      content: { 'application/json': { schema: JsonRpc } },
    },
    202: { description: 'Notification accepted' },
    ...errorResponses(401, 429),
  },
});

export function mcpRouter() {
  const router = createRouter();
  router.use(
    '/mcp',
    cors({
      origin: '*',
      allowMethods: ['POST', 'GET', 'DELETE', 'OPTIONS'],
      allowHeaders: [
        'Authorization',
        'Content-Type',
        'Accept',
        'mcp-protocol-version',
        'mcp-session-id',
        'last-event-id',
      ],
      exposeHeaders: ['WWW-Authenticate', 'mcp-session-id', 'mcp-protocol-version'],
      maxAge: 600,
    }),
  );
  router.openapi(route, async (c) => {
    const ctx = c.get('ctx');
    const services = c.get('services');
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    const server = buildServer({ ctx, services, signal: c.req.raw.signal });
    await server.connect(transport);
    try {
      // The edge has parsed (and validated) the body already: hand it over instead of reading it twice.
      return (await transport.handleRequest(c.req.raw, { parsedBody: await c.req.json() })) as never;
    } finally {
      void server.close();
    }
  });
  return router;
}
