/**
 * The MCP call log: one row per tools/call (tool, actor, OAuth client or API key, duration, outcome and the
 * readable reason of a refusal or failure — never arguments or results). Written off the request path;
 * administrators read it (capability admin:audit) on /admin/mcp.
 */

import type { Queryable } from '../../db/client';
import type { McpCallOutcome } from '../../db/schema/index';
import { assertCan } from '../lib/authz';
import type { Actor, Ctx } from '../lib/ctx';
import type { Logger } from '../lib/logger';
import { insertCall, listCalls } from './call-log.repo';

export interface McpCallView {
  id: number;
  tool: string;
  actor: string;
  via: string;
  client: string | null;
  ms: number;
  outcome: McpCallOutcome;
  error: string | null;
  createdAt: string;
}

export class McpCallLog {
  private pending = new Set<Promise<void>>();

  constructor(private readonly deps: { db: Queryable; log: Logger }) {}

  record(
    actor: Actor,
    entry: { tool: string; ms: number; outcome: McpCallOutcome; error?: string | null },
  ): void {
    const write = insertCall(this.deps.db, {
      tool: entry.tool.slice(0, 200),
      actorId: actor.id,
      actorLabel: actor.label,
      via: actor.type === 'api_key' ? 'api_key' : actor.type === 'oauth' ? 'oauth' : 'user',
      oauthClientId: actor.oauthClientId ?? null,
      apiKeyId: actor.apiKeyId ?? null,
      ms: Math.max(0, Math.round(entry.ms)),
      outcome: entry.outcome,
      error: entry.error?.slice(0, 500) ?? null,
    })
      .catch((err) => this.deps.log.warn({ err }, 'mcp: call log write failed'))
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  async list(ctx: Ctx, input: { cursor?: number; tool?: string; limit?: number } = {}) {
    assertCan(ctx.actor, 'admin:audit');
    const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
    const rows = await listCalls(ctx.db, { beforeId: input.cursor, tool: input.tool, limit });
    const items = rows.slice(0, limit);
    return {
      items: items.map(
        (r): McpCallView => ({
          id: r.id,
          tool: r.tool,
          actor: r.actorLabel,
          via: r.via,
          client: r.clientName,
          ms: r.ms,
          outcome: r.outcome,
          error: r.error,
          createdAt: r.createdAt.toISOString(),
        }),
      ),
      nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null,
    };
  }

  /** Waits for the writes in flight (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
