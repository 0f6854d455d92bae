/**
 * The decision log's acceptance path with real clients: an OAuth client (client_credentials, acting as its
 * service identity) connects the official MCP SDK client and captures a decision with evidence, two
 * alternatives and a consulted person; the node records the OAuth client that wrote it; a person finds it
 * through API v1 by a word of the reasoning (the browser test does the same on /decisions); its package lists
 * everything linked; a later decision that supersedes it flips its status; a student sees it nowhere.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient, signedInPerson } from '../helpers/oauth';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let clientId: string;
let accessToken: string;
let principalKey: string;
let studentKey: string;

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'board-assistant', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${app.url}/api/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

const asPrincipal = () => ({ authorization: `Bearer ${principalKey}` });

const resultOf = (result: Awaited<ReturnType<Client['callTool']>>) => {
  expect(result.isError ?? false).toBe(false);
  return result.structuredContent as Record<string, unknown>;
};

beforeAll(async () => {
  app = await startTestApp();
  app.services.config.APP_URL = app.url;
  await signedInPerson(app, 'admin@district.example', ['administrator']);
  await signedInPerson(app, 'principal@district.example', ['staff']);
  await signedInPerson(app, 'pupil@district.example', ['student']);
  await signedInPerson(app, 'svc-board@district.example', ['staff']);
  const registered = await registerClient(app, {
    name: 'Board assistant',
    redirectUris: ['https://board.example/callback'],
    scopes: ['mcp:read', 'mcp:write', 'graph:read', 'graph:write'],
    serviceUserEmail: 'svc-board@district.example',
  });
  clientId = registered.clientId;
  const keyOf = async (email: string, scopes: string[]) =>
    (await app.services.apiKeys.createForEmail(app.services.systemCtx(), email, { name: 'reader', scopes }))
      .secret;
  principalKey = await keyOf('principal@district.example', ['graph:read']);
  studentKey = await keyOf('pupil@district.example', ['*']);
  const res = await app.fetch('/api/oauth/token', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${registered.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'mcp:read mcp:write graph:read graph:write',
      resource: `${app.url}/api/mcp`,
    }),
  });
  expect(res.status).toBe(200);
  accessToken = ((await res.json()) as { access_token: string }).access_token;
});
afterAll(() => app?.close());

describe('decision log through the official MCP client with an OAuth token', () => {
  let decisionId = '';

  it('captures a decision with evidence, two alternatives and a consulted person', async () => {
    const client = await connect(accessToken);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['capture_decision', 'search_decisions', 'get_decision_graph']),
    );
    const captured = resultOf(
      await client.callTool({
        name: 'capture_decision',
        arguments: {
          decision: 'Move the board meeting to Thursdays',
          decidedBy: 'School board',
          reasoning: 'Attendance of working parents doubles on Thursday evenings according to the survey.',
          evidence: ['Parent survey, autumn term: 212 answers'],
          alternatives_considered: ['Keep Tuesday mornings', 'Hold meetings online only'],
          consulted: ['Parent council <parents@district.example>'],
        },
      }),
    );
    const decision = captured.decision as { id: string; createdBy: { oauthClientId: string | null } };
    decisionId = decision.id;
    expect(decision.createdBy.oauthClientId).toBe(clientId);
    expect((captured.nodes as { type: string }[]).map((n) => n.type).sort()).toEqual([
      'alternative',
      'alternative',
      'decision',
      'evidence',
      'person',
      'person',
    ]);
    await client.close();
  });

  it('is found by a word of its reasoning, with a package listing everything linked', async () => {
    const found = await app.fetch('/api/v1/graph/nodes?q=attendance', { headers: asPrincipal() });
    expect(found.status).toBe(200);
    const { items } = (await found.json()) as { items: { id: string }[] };
    expect(items[0]?.id).toBe(decisionId);

    const pkg = await app.fetch(`/api/v1/graph/nodes/${decisionId}/package`, {
      headers: { ...asPrincipal(), accept: 'text/markdown' },
    });
    expect(pkg.status).toBe(200);
    const markdown = await pkg.text();
    for (const text of [
      'Parent survey, autumn term: 212 answers',
      'Keep Tuesday mornings',
      'Hold meetings online only',
      'Parent council',
      'School board',
    ])
      expect(markdown).toContain(text);
  });

  it('is superseded by a later decision, which flips its status', async () => {
    const client = await connect(accessToken);
    resultOf(
      await client.callTool({
        name: 'capture_decision',
        arguments: {
          decision: 'Alternate board meetings between Thursdays and Saturdays',
          decidedBy: 'School board',
          supersedes: [decisionId],
        },
      }),
    );
    await client.close();
    const node = await app.fetch(`/api/v1/graph/nodes/${decisionId}`, { headers: asPrincipal() });
    expect(((await node.json()) as { status: string }).status).toBe('superseded');
  });

  it('shows a student nothing: not the API, not the MCP tools', async () => {
    const api = await app.fetch(`/api/v1/graph/nodes/${decisionId}`, {
      headers: { authorization: `Bearer ${studentKey}` },
    });
    expect(api.status).toBe(403);
    expect(await api.text()).not.toContain('Move the board meeting');
    const client = await connect(studentKey);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names.filter((n) => n.includes('decision'))).toEqual([]);
    await client.close();
  });
});
