/**
 * Who may see and call a tool (every surface asks here: MCP today, assistants later). A tool is usable when
 * the caller's token holds all of the tool's scopes and the caller's roles hold its capability; a refusal
 * comes with a sentence an agent can show its user.
 */
import { can } from '../lib/authz';
import type { Actor } from '../lib/ctx';
import { hasScope, SCOPE_CAPABILITY, SCOPES } from '../lib/scopes';
import type { ToolDefinition } from './tool';

/** Why the caller may not use the tool, or null when it may. */
export function toolRefusal(actor: Actor, tool: ToolDefinition): string | null {
  if (actor.type === 'anonymous') return 'Sign in to use this tool';
  const missing = tool.scopes.filter((s) => !hasScope(actor, s));
  if (missing.length)
    return `Your token lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')} needed for ${tool.name}; reconnect with ${missing.join(' ')} to use it`;
  if (tool.capability !== null && !can(actor, tool.capability))
    return `Your account does not have permission for ${tool.name} (${tool.capability})`;
  return null;
}

export const mayUse = (actor: Actor, tool: ToolDefinition): boolean => toolRefusal(actor, tool) === null;

/**
 * The actor a tool's handler runs as: a token's scopes widened to every scope its (already narrowed)
 * capabilities back. The tool's own scope gate has passed; this lets the services behind it make their
 * usual `assertScope` checks without a token needing `chat` beside `mcp:write`. It never adds a
 * capability, so it never does more than the token's scopes and the person's roles allow together.
 */
export function toolActor(actor: Actor): Actor {
  if (actor.scopes === null) return actor;
  const scopes = new Set(actor.scopes);
  for (const s of SCOPES) if (actor.capabilities.has(SCOPE_CAPABILITY[s])) scopes.add(s);
  return { ...actor, scopes };
}
