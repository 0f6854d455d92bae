/**
 * One tool registry for every surface that lets a caller (an MCP agent today; models in chat and assistants
 * later) invoke the platform's capabilities. A tool is data: a name, a description an agent can follow, zod
 * input and output schemas, annotations, the scope a token needs and the capability its owner needs, and a
 * handler over the *same services* the REST API calls, with the caller's Ctx. Surfaces (api/mcp/…) list the
 * tools a caller may use and run them; they never re-implement a check a service already makes.
 *
 * Features own their tools beside their service (`api/features/<name>/<name>.tools.ts`) and add them to
 * `api/tools/registry.ts`.
 */

import type { z } from 'zod';
import type { Capability } from '../lib/capabilities';
import type { Ctx } from '../lib/ctx';
import type { Scope } from '../lib/scopes';
import { normalizeDeep } from '../lib/text';
import type { Services } from '../services';

export interface ToolAnnotations {
  /** The tool changes nothing (MCP `readOnlyHint`). */
  readOnlyHint?: boolean;
  /** The tool may delete or overwrite data (MCP `destructiveHint`). */
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  /** The tool reaches beyond this deployment (e.g. a model provider). */
  openWorldHint?: boolean;
}

export interface ToolContext {
  ctx: Ctx;
  services: Services;
  /** Aborted when the caller goes away or the surface's time limit passes. */
  signal: AbortSignal;
  /** The tools this caller may use on this surface (for a tool that describes them); surfaces set it. */
  available?: readonly ToolDefinition[];
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /**
   * Token scopes needed (all of them): `mcp:read` for a tool that only reads, `mcp:write` for one that
   * changes something or spends money (a model call), plus any scope whose capability the MCP scopes do not
   * imply (`['mcp:read', 'knowledge:read']`). Sessions are not scope-limited. Inside the handler the caller's
   * token counts for every scope its capabilities back (api/tools/access.ts `toolActor`), so services that
   * check `chat` or `models:read` accept an MCP token.
   */
  scopes: readonly Scope[];
  /**
   * The capability the caller's roles need (null: any signed-in caller); the handler's services still check
   * resources themselves.
   */
  capability: Capability | null;
  handler(input: z.infer<I>, tool: ToolContext): Promise<z.infer<O>>;
}

/** Keeps the handler's input/output types tied to the schemas. */
export const defineTool = <I extends z.ZodObject, O extends z.ZodObject>(
  tool: ToolDefinition<I, O>,
): ToolDefinition<I, O> => tool;

/**
 * A caller's arguments as the tool's handler sees them: every string (keys too) through the one text
 * normaliser (NUL stripped, lone surrogates replaced, NFC — what the HTTP edge does for REST input), then
 * the tool's input schema. Every surface parses arguments here, never with `tool.input` directly.
 */
export function parseToolInput<I extends z.ZodObject>(tool: ToolDefinition<I>, args: unknown) {
  return tool.input.safeParse(normalizeDeep(args ?? {}));
}
