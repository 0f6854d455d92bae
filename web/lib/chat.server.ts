/**
 * Data for the /chat pages, read through the load context's services (never imported: STACK-NOTES trap 2).
 * One place that knows which service answers what, so the routes stay thin.
 */
import type { AppLoadContext } from '@remix-run/node';
import type { RepositoryView } from '../../api/features/knowledge/knowledge.schemas';
import type { BudgetStatusView } from '../../api/features/usage/usage.schemas';

export async function chatSidebarData(context: AppLoadContext, url: URL) {
  const { services, ctx } = context;
  const q = url.searchParams.get('q')?.trim().slice(0, 200) || undefined;
  const archived = url.searchParams.get('archived') === 'all' ? 'all' : 'false';
  const [page, usable, budget, defaultModel, repositories] = await Promise.all([
    services.conversations.list(ctx, { q, archived, limit: 50 }),
    services.models.listUsable(ctx, 'chat'),
    services.budgets.status(ctx).catch((): BudgetStatusView | null => null),
    services.settings.get(ctx, 'chat.default_model'),
    // Without knowledge:use there is nothing to attach (and no picker).
    services.knowledge.listRepositories(ctx).catch((): RepositoryView[] => []),
  ]);
  // New chats start with the first model: the administrator's default when this person may use it.
  const models = [...usable].sort(
    (a, b) => Number(b.id === defaultModel?.trim()) - Number(a.id === defaultModel?.trim()),
  );
  return {
    conversations: page.items.map((c) => ({
      id: c.id,
      title: c.title,
      pinned: c.pinned,
      archived: c.archived,
      lastMessageAt: c.lastMessageAt,
      snippet: c.snippet ?? null,
    })),
    models: models.map((m) => ({
      id: m.id,
      displayName: m.displayName,
      description: m.description,
      capabilities: m.capabilities,
    })),
    budget,
    repositories: repositories.map(toPickerRepository),
    // With no model to chat with, an administrator gets the setup checklist instead of "ask your administrator".
    setup: models.length === 0 ? await services.setup.checklist(ctx) : null,
  };
}

const toPickerRepository = (r: RepositoryView) => ({
  id: r.id,
  name: r.name,
  itemCount: r.itemCount,
  itemsIndexing: r.itemsIndexing,
});

export async function conversationData(context: AppLoadContext, id: string) {
  const { services, ctx } = context;
  const [conversation, view] = await Promise.all([
    services.conversations.get(ctx, id),
    services.conversations.messages(ctx, id),
  ]);
  return {
    conversation: {
      id: conversation.id,
      title: conversation.title,
      modelId: conversation.modelId,
      systemPrompt: conversation.systemPrompt,
      repositoryIds: conversation.repositoryIds,
    },
    branch: view.branch,
    tree: view.messages.map((m) => ({ id: m.id, parentId: m.parentId, createdAt: m.createdAt })),
  };
}

/** Service errors (AppError) become HTTP responses for the route's ErrorBoundary. */
export function asResponse(err: unknown): never {
  const e = err as { name?: string; status?: number; message?: string };
  if (e?.name === 'AppError' && e.status && e.status < 500) {
    throw new Response(e.message ?? 'Error', { status: e.status });
  }
  throw err;
}
