/**
 * The MCP server at /api/mcp driven by the official SDK client over Streamable HTTP with `sk-` keys: lists
 * only the tools the key may use, calls them over the same services as REST (a one-shot `chat` against a
 * fake OpenAI-compatible upstream, billed to the key's owner), refuses a write tool to a read-only key with
 * a readable `isError`, logs every call; anonymous callers get the 401 that starts OAuth discovery; an
 * OAuth token without `mcp:write` cannot call a write tool.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpToolCalls, tokenUsage } from '../../db/schema/index';
import { type ChatFixture, startChatFixture } from '../helpers/chat-fixture';
import { authorizeAs, registerClient, signedInPerson } from '../helpers/oauth';

let fx: ChatFixture;
let fullKey: string;
let readKey: string;

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${fx.app.url}/api/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as { type: string; text: string }[]).map((c) => c.text).join('');

beforeAll(async () => {
  fx = await startChatFixture();
  fx.app.services.config.APP_URL = fx.app.url;
  const key = async (scopes: string[]) =>
    (
      await fx.app.services.apiKeys.createForEmail(fx.app.services.systemCtx(), 'teacher@district.example', {
        name: 'agent',
        scopes,
      })
    ).secret;
  fullKey = await key(['mcp:read', 'mcp:write']);
  readKey = await key(['mcp:read']);
});
afterAll(async () => fx?.close());

describe('MCP server with API keys', () => {
  it('answers an anonymous call 401 naming the protected-resource metadata', async () => {
    const res = await fx.app.fetch('/api/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${fx.app.url}/.well-known/oauth-protected-resource/api/mcp"`,
    );
    const meta = await (await fx.app.fetch('/.well-known/oauth-protected-resource/api/mcp')).json();
    expect(meta).toMatchObject({ resource: `${fx.app.url}/api/mcp`, authorization_servers: [fx.app.url] });
    const root = await (await fx.app.fetch('/.well-known/oauth-protected-resource')).json();
    expect(root.resource).toBe(`${fx.app.url}/api/mcp`);
  });

  it('refuses an unknown key and a session cookie', async () => {
    await expect(connect(`sk-${'x'.repeat(43)}`)).rejects.toThrow();
    const res = await fx.call(fx.staff, '/api/mcp', {
      method: 'POST',
      headers: { origin: fx.app.url, accept: 'application/json, text/event-stream' },
      json: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });
    expect(res.status).toBe(401);
  });

  it('lists the tools a full key may use, with schemas and annotations', async () => {
    const client = await connect(fullKey);
    expect(client.getServerVersion()?.name).toBe('ai-studio');
    const { tools } = await client.listTools();
    // The decision tools need graph:* scopes this key does not have.
    expect(tools.map((t) => t.name)).toEqual([
      'describe_capabilities',
      'list_models',
      'chat',
      'list_conversations',
      'get_conversation',
    ]);
    const chat = tools.find((t) => t.name === 'chat')!;
    expect(chat.annotations).toMatchObject({ readOnlyHint: false });
    expect(chat.inputSchema.properties).toHaveProperty('model');
    expect(chat.outputSchema?.properties).toHaveProperty('usage');
    await client.close();
  });

  it('calls read tools over the same services as REST', async () => {
    const client = await connect(fullKey);
    const caps = await client.callTool({ name: 'describe_capabilities', arguments: {} });
    expect(caps.isError).toBeFalsy();
    const sc = caps.structuredContent as {
      sections: { section: string; available: boolean; detail: string | null }[];
    };
    expect(sc.sections.find((s) => s.section === 'chat')).toMatchObject({
      available: true,
      detail: '1 model available to you',
    });

    const models = await client.callTool({ name: 'list_models', arguments: {} });
    expect((models.structuredContent as { models: { id: string }[] }).models.map((m) => m.id)).toEqual([
      'fake-large',
    ]);

    const created = await fx.call(fx.staff, '/api/conversations', {
      method: 'POST',
      headers: { origin: fx.app.url },
      json: { title: 'Field trip planning' },
    });
    expect(created.status).toBe(201);
    const convId = (await created.json()).id as string;
    const list = await client.callTool({ name: 'list_conversations', arguments: {} });
    expect(
      (list.structuredContent as { conversations: { id: string; title: string }[] }).conversations,
    ).toEqual([expect.objectContaining({ id: convId, title: 'Field trip planning' })]);
    const one = await client.callTool({ name: 'get_conversation', arguments: { id: convId } });
    expect(one.structuredContent).toMatchObject({ conversation: { id: convId }, messages: [] });
    // Someone else's conversation is not found for this caller.
    const other = await fx.call(fx.admin, '/api/conversations', {
      method: 'POST',
      headers: { origin: fx.app.url },
      json: { title: 'Admin only' },
    });
    const foreign = await client.callTool({
      name: 'get_conversation',
      arguments: { id: (await other.json()).id },
    });
    expect(foreign.isError).toBe(true);
    await client.close();
  });

  it('runs chat against the upstream and bills the key’s owner', async () => {
    fx.fake.script({ chunks: ['Hello', ' teacher'], usage: { inputTokens: 12, outputTokens: 2 } });
    const client = await connect(fullKey);
    const result = await client.callTool({
      name: 'chat',
      arguments: { model: 'fake-large', prompt: 'Say hello', system: 'Be brief.' },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      model: 'fake-large',
      text: 'Hello teacher',
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 2, totalTokens: 14 },
      // PRICES: 2.5 USD in, 10 USD out per million tokens.
      costUsd: expect.stringMatching(/^0\.0000500*$/),
    });
    const sent = fx.fake.lastRequest().body as { messages: { role: string; content: unknown }[] };
    expect(sent.messages[0]).toMatchObject({ role: 'system', content: 'Be brief.' });
    const rows = await fx.app.database.db.select().from(tokenUsage).where(eq(tokenUsage.userId, fx.staff.id));
    expect(rows.map((r) => [r.inputTokens, r.outputTokens])).toContainEqual([12, 2]);

    const bad = await client.callTool({ name: 'chat', arguments: { model: 'fake-large' } });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/prompt or messages/);
    await client.close();
  });

  it('hides write tools from a read-only key and refuses them readably', async () => {
    const client = await connect(readKey);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).not.toContain('chat');
    expect(tools.map((t) => t.name)).toContain('list_models');
    const before = fx.fake.requests.length;
    const refused = await client.callTool({ name: 'chat', arguments: { model: 'fake-large', prompt: 'hi' } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/lacks the scope mcp:write/);
    expect(fx.fake.requests.length).toBe(before);
    await client.close();
  });

  it('logs every call for administrators', async () => {
    await fx.app.services.mcpCalls.flush();
    const denied = await fx.app.database.db
      .select()
      .from(mcpToolCalls)
      .where(and(eq(mcpToolCalls.tool, 'chat'), eq(mcpToolCalls.outcome, 'denied')));
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ actorId: fx.staff.id, via: 'api_key' });
    const adminCtx = fx.app.services.systemCtx();
    const page = await fx.app.services.mcpCalls.list(adminCtx, {});
    expect(page.items.map((i) => i.outcome)).toEqual(expect.arrayContaining(['ok', 'denied', 'error']));
    expect(page.items.every((i) => i.ms >= 0)).toBe(true);
  });
});

describe('MCP server with OAuth tokens', () => {
  it('refuses a write tool to a token without mcp:write, readably, and calls nothing upstream', async () => {
    const reader = await signedInPerson(fx.app, 'reader@district.example');
    const { clientId } = await registerClient(fx.app, {
      name: 'Read-only agent',
      redirectUris: ['http://127.0.0.1/callback'],
      scopes: ['mcp:read', 'mcp:write'],
      public: true,
    });
    const redirectUri = 'http://127.0.0.1:47001/callback';
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const url = new URL('/api/oauth/authorize', fx.app.url);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: 'mcp:read',
      state: 'st',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      resource: `${fx.app.url}/api/mcp`,
    }))
      url.searchParams.set(k, v);
    const back = await authorizeAs(fx.app, reader, url);
    const res = await fx.app.fetch('/api/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code')!,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        client_id: clientId,
      }),
    });
    expect(res.status).toBe(200);
    const token = (await res.json()) as { access_token: string; scope: string };
    expect(token.scope).toBe('mcp:read');

    const client = await connect(token.access_token);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('list_models');
    expect(tools.map((t) => t.name)).not.toContain('chat');
    const models = await client.callTool({ name: 'list_models', arguments: {} });
    expect(models.isError).toBeFalsy();
    const before = fx.fake.requests.length;
    const refused = await client.callTool({ name: 'chat', arguments: { model: 'fake-large', prompt: 'hi' } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toBe(
      'Your token lacks the scope mcp:write needed for chat; reconnect with mcp:write to use it',
    );
    expect(fx.fake.requests.length).toBe(before);
    await client.close();
  });
});
