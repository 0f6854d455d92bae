import { and, desc, eq, lt } from 'drizzle-orm';
import type { Queryable } from '../../db/client';
import { mcpToolCalls, oauthClients } from '../../db/schema/index';

export type McpCallRow = typeof mcpToolCalls.$inferSelect;
export type NewMcpCallRow = typeof mcpToolCalls.$inferInsert;

export async function insertCall(db: Queryable, row: NewMcpCallRow): Promise<void> {
  await db.insert(mcpToolCalls).values(row);
}

export interface McpCallWithClient extends McpCallRow {
  clientName: string | null;
}

/** Newest first; `limit + 1` rows for the next-page check. */
export async function listCalls(
  db: Queryable,
  input: { beforeId?: number; tool?: string; limit: number },
): Promise<McpCallWithClient[]> {
  const rows = await db
    .select({ call: mcpToolCalls, clientName: oauthClients.name })
    .from(mcpToolCalls)
    .leftJoin(oauthClients, eq(oauthClients.id, mcpToolCalls.oauthClientId))
    .where(
      and(
        input.beforeId !== undefined ? lt(mcpToolCalls.id, input.beforeId) : undefined,
        input.tool ? eq(mcpToolCalls.tool, input.tool) : undefined,
      ),
    )
    .orderBy(desc(mcpToolCalls.id))
    .limit(input.limit + 1);
  return rows.map((r) => ({ ...r.call, clientName: r.clientName }));
}
