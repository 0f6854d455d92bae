/**
 * The MCP server's call path with a tool that echoes what its handler received: arguments reach handlers
 * only through the registry's normaliser (NUL stripped, lone surrogates replaced, NFC; keys too).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestServices, type TestServices } from '../../tests/helpers/test-app';
import { defineTool } from '../tools/tool';
import { buildServer } from './server';

const echo = defineTool({
  name: 'echo',
  title: 'Echo',
  description: 'Returns its arguments as the handler received them.',
  input: z.object({ text: z.string(), tags: z.record(z.string(), z.string()).optional() }),
  output: z.object({ text: z.string(), tags: z.record(z.string(), z.string()).optional() }),
  annotations: { readOnlyHint: true },
  scopes: [],
  capability: null,
  handler: async (input) => input,
});

let t: TestServices;
let client: Client;
beforeAll(async () => {
  t = await createTestServices();
  const server = buildServer(
    { ctx: t.services.systemCtx(), services: t.services, signal: new AbortController().signal },
    [echo],
  );
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
});
afterAll(async () => {
  await client?.close();
  await t?.close();
});

describe('MCP tool input', () => {
  it('is normalised before the handler sees it', async () => {
    const result = await client.callTool({
      name: 'echo',
      arguments: { text: 'Cafe\u0301\u0000 menu \ud800 today', tags: { 'ke\u0000y': 'va\udc00lue' } },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      text: 'Café menu \ufffd today',
      tags: { key: 'va\ufffdlue' },
    });
  });

  it('still refuses what the schema refuses, naming the argument', async () => {
    const result = await client.callTool({ name: 'echo', arguments: { text: 42 } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toMatch(/^Invalid arguments for echo: text:/);
  });
});
