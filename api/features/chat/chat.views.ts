/** Rows → API views: conversations, the message tree, and the current branch as useChat UI messages. */
import type { z } from '@hono/zod-openapi';
import type { BranchMessage, ConversationView, StoredMessageView } from './chat.schemas';
import type { ConversationRecord } from './conversations.repo';
import type { MessageRecord } from './messages.repo';

/** First ~40 characters of the first message, cut at a word boundary (the original's rule; no LLM call). */
export function autoTitle(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat || 'New chat';
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

export function toConversationView(row: ConversationRecord & { snippet?: string | null }): ConversationView {
  return {
    id: row.id,
    title: row.title,
    modelId: row.modelId,
    systemPrompt: row.systemPrompt,
    repositoryIds: row.knowledgeRepositoryIds,
    pinned: row.pinned,
    archived: row.archived,
    forkedFrom: row.forkedFrom,
    currentLeafId: row.currentLeafId,
    messageCount: row.messageCount,
    totalTokens: row.totalTokens,
    totalCostUsd: row.totalCostUsd,
    lastMessageAt: row.lastMessageAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(row.snippet !== undefined ? { snippet: row.snippet } : {}),
  };
}

const usageOf = (m: MessageRecord) => ({
  inputTokens: m.inputTokens,
  outputTokens: m.outputTokens,
  cachedInputTokens: m.cachedInputTokens,
  reasoningTokens: m.reasoningTokens,
  estimated: m.usageEstimated,
});

/** Sibling lists (children of the same parent, oldest first) for every message. */
function siblingsOf(rows: MessageRecord[]): Map<string | null, string[]> {
  const children = new Map<string | null, string[]>();
  for (const m of rows) {
    const list = children.get(m.parentId) ?? [];
    list.push(m.id);
    children.set(m.parentId, list);
  }
  return children;
}

export function toMessagesView(conversationId: string, leafId: string | null, rows: MessageRecord[]) {
  const children = siblingsOf(rows);
  const byId = new Map(rows.map((m) => [m.id, m]));
  const stored = (m: MessageRecord): StoredMessageView => ({
    id: m.id,
    parentId: m.parentId,
    role: m.role,
    parts: m.parts,
    modelId: m.modelId,
    status: m.status,
    finishReason: m.finishReason,
    error: m.error,
    usage: usageOf(m),
    costUsd: m.costUsd,
    latencyMs: m.latencyMs,
    ttftMs: m.ttftMs,
    createdAt: m.createdAt.toISOString(),
    siblingIds: children.get(m.parentId) ?? [m.id],
  });
  const branch: z.infer<typeof BranchMessage>[] = [];
  const seen = new Set<string>();
  for (let m = leafId ? byId.get(leafId) : undefined; m && !seen.has(m.id); ) {
    seen.add(m.id);
    const s = stored(m);
    branch.unshift({
      id: m.id,
      role: m.role,
      parts: m.parts,
      metadata: {
        parentId: s.parentId,
        siblingIds: s.siblingIds,
        status: s.status,
        modelId: s.modelId,
        error: s.error,
        usage: s.usage,
        costUsd: s.costUsd,
        latencyMs: s.latencyMs,
        ttftMs: s.ttftMs,
        createdAt: s.createdAt,
      },
    });
    m = m.parentId ? byId.get(m.parentId) : undefined;
  }
  return { conversationId, currentLeafId: leafId, messages: rows.map(stored), branch };
}

/**
 * The deepest leaf under a message, following the newest child at each level: where "switch to this
 * branch" lands when the UI picks a sibling in the middle of the tree.
 */
export function newestLeafUnder(rows: MessageRecord[], id: string): string {
  const children = siblingsOf(rows);
  let current = id;
  for (let i = 0; i < rows.length; i++) {
    const next = children.get(current)?.at(-1);
    if (!next) break;
    current = next;
  }
  return current;
}
