/**
 * The MCP server over the one tool registry (api/tools), built per request by `buildServer()` — stateless,
 * so any instance answers any call (modelcontextprotocol/typescript-sdk examples). The low-level SDK
 * `Server` is used so that `tools/list` shows only what the caller may use while `tools/call` of a hidden
 * tool still answers a readable `isError` result (the high-level McpServer would say "not found").
 * Inputs are validated with the tool's zod schema (failures are `isError` naming the fields), outputs are
 * returned as structured content plus its JSON text, and every call is logged.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { McpCallOutcome } from '../../db/schema/index';
import type { Ctx } from '../lib/ctx';
import { isAppError } from '../lib/errors';
import { APP_VERSION } from '../lib/version';
import type { Services } from '../services';
import { mayUse, toolActor, toolRefusal } from '../tools/access';
import { TOOLS } from '../tools/registry';
import { parseToolInput, type ToolDefinition } from '../tools/tool';

const INSTRUCTIONS =
  'AI Studio: the models, conversations and knowledge of this school district. Call describe_capabilities first to see what you may do here.';
/** A tool call may run at most this long (a model call included). */
const CALL_TIMEOUT_MS = 5 * 60_000;

const listings = new WeakMap<ToolDefinition, Tool>();

/** The tool as tools/list shows it (JSON Schemas from zod, computed once per tool). */
function listing(tool: ToolDefinition): Tool {
  let entry = listings.get(tool);
  if (!entry) {
    entry = {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: jsonSchema(tool.input, 'input') as Tool['inputSchema'],
      outputSchema: jsonSchema(tool.output, 'output') as Tool['outputSchema'],
      annotations: { title: tool.title, ...tool.annotations },
    };
    listings.set(tool, entry);
  }
  return entry;
}

function jsonSchema(schema: z.ZodObject, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

const failure = (text: string): CallToolResult => ({ content: [{ type: 'text', text }], isError: true });

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'arguments'}: ${i.message}`)
    .join('; ');
}

export interface McpCaller {
  ctx: Ctx;
  services: Services;
  /** Aborted when the HTTP request goes away. */
  signal: AbortSignal;
}

export function buildServer(caller: McpCaller, tools: readonly ToolDefinition[] = TOOLS): Server {
  const server = new Server(
    { name: 'ai-studio', title: 'AI Studio', version: APP_VERSION },
    { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS },
  );
  const { actor } = caller.ctx;

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.filter((t) => mayUse(actor, t)).map(listing),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const started = performance.now();
    const name = request.params.name;
    const done = (outcome: McpCallOutcome, result: CallToolResult, error?: string) => {
      caller.services.mcpCalls.record(actor, { tool: name, ms: performance.now() - started, outcome, error });
      return result;
    };
    const tool = tools.find((t) => t.name === name);
    if (!tool) {
      const text = `There is no tool named "${name}". Call tools/list to see the tools you may use.`;
      return done('error', failure(text), text);
    }
    const refusal = toolRefusal(actor, tool);
    if (refusal) return done('denied', failure(refusal), refusal);
    const parsed = parseToolInput(tool, request.params.arguments);
    if (!parsed.success) {
      const text = `Invalid arguments for ${tool.name}: ${describeIssues(parsed.error)}`;
      return done('error', failure(text), text);
    }
    const signal = AbortSignal.any([caller.signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]);
    try {
      const output = await tool.handler(parsed.data, {
        ctx: { ...caller.ctx, actor: toolActor(actor) },
        services: caller.services,
        signal,
        available: tools.filter((t) => mayUse(actor, t)),
      });
      return done('ok', {
        content: [{ type: 'text', text: JSON.stringify(output) }],
        structuredContent: output as Record<string, unknown>,
      });
    } catch (err) {
      if (isAppError(err) && err.status < 500) {
        const outcome = err.status === 401 || err.status === 403 ? 'denied' : 'error';
        return done(outcome, failure(err.message), err.message);
      }
      caller.ctx.log.error({ err, tool: tool.name }, 'mcp: tool failed');
      const text = isAppError(err)
        ? err.message
        : `${tool.name} failed on our side. Quote request id ${caller.ctx.requestId} if you report it.`;
      return done('error', failure(text), text);
    }
  });
  return server;
}
