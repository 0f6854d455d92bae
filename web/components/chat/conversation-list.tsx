/**
 * The conversation sidebar: new chat, search (titles and message text, through the URL's `q` so results
 * survive a reload), pinned and recent lists, and per-conversation actions (rename, pin, archive, fork,
 * delete). Actions call the REST API and then revalidate the loaders.
 */
import * as Menu from '@radix-ui/react-dropdown-menu';
import { Form, Link, useNavigate, useParams, useSearchParams } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { Button } from '~/components/ui';
import { cn } from '~/lib/cn';
import type { ConversationView } from '../../../api/features/chat/chat.schemas';
import { apiJson } from './api';
import {
  ArchiveIcon,
  ForkIcon,
  MoreIcon,
  PencilIcon,
  PinIcon,
  PlusIcon,
  SearchIcon,
  TrashIcon,
} from './icons';
import { DeleteDialog, RenameDialog } from './title-dialogs';
import { useListAction } from './use-list-action';

export type ConversationItem = Pick<
  ConversationView,
  'id' | 'title' | 'pinned' | 'archived' | 'lastMessageAt' | 'snippet'
>;

function useConversationActions() {
  const navigate = useNavigate();
  const params = useParams();
  const run = useListAction();
  return {
    patch: (id: string, body: Record<string, unknown>, what: string) =>
      run(what, () => apiJson(`/api/conversations/${id}`, { method: 'PATCH', json: body })),
    remove: (id: string) =>
      run('delete the conversation', async () => {
        await apiJson(`/api/conversations/${id}`, { method: 'DELETE' });
        if (params.id === id) navigate('/chat', { replace: true });
      }),
    fork: (id: string) =>
      run('fork the conversation', async () => {
        const created = await apiJson<{ id: string }>(`/api/conversations/${id}/fork`, {
          method: 'POST',
          json: {},
        });
        navigate(`/chat/${created.id}`);
      }),
  };
}

/** Filters while typing: the list follows the box after a short pause (the URL keeps `q` for reloads). */
function useDebouncedSearch(path: string, showArchived: boolean, delayMs = 250) {
  const navigate = useNavigate();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  return (value: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const query = new URLSearchParams();
      if (value.trim()) query.set('q', value.trim());
      if (showArchived) query.set('archived', 'all');
      navigate(query.size ? `${path}?${query}` : path, { replace: true, preventScrollReset: true });
    }, delayMs);
  };
}

const MENU_ITEM =
  'flex cursor-default items-center gap-2.5 rounded-md px-2.5 py-2 text-sm text-fg outline-none select-none data-[highlighted]:bg-surface-muted';

function ConversationRow({
  item,
  active,
  onNavigate,
  onRename,
  onDelete,
}: {
  item: ConversationItem;
  active: boolean;
  onNavigate?: () => void;
  onRename(item: ConversationItem): void;
  onDelete(item: ConversationItem): void;
}) {
  const actions = useConversationActions();
  const title = item.title || 'New conversation';
  return (
    <li className="group relative">
      <Link
        to={`/chat/${item.id}`}
        onClick={onNavigate}
        aria-current={active ? 'page' : undefined}
        className={cn(
          'block rounded-lg py-2 pr-10 pl-3 text-sm text-fg hover:bg-surface-muted',
          active && 'bg-surface-muted font-medium',
        )}
      >
        <span className="flex items-center gap-1.5">
          {item.pinned ? <PinIcon className="size-3.5 shrink-0 text-fg-muted" aria-label="Pinned" /> : null}
          <span className="truncate">{title}</span>
          {item.archived ? <span className="ml-auto shrink-0 text-xs text-fg-muted">Archived</span> : null}
        </span>
        {item.snippet ? (
          <span className="mt-0.5 line-clamp-2 text-xs text-fg-muted">{item.snippet}</span>
        ) : null}
      </Link>
      <Menu.Root>
        <Menu.Trigger
          aria-label={`Actions for ${title}`}
          className="absolute top-1.5 right-1.5 inline-flex size-7 items-center justify-center rounded-md text-fg-muted opacity-100 hover:bg-surface hover:text-fg focus-visible:opacity-100 data-[state=open]:opacity-100 md:opacity-0 md:group-focus-within:opacity-100 md:group-hover:opacity-100"
        >
          <MoreIcon className="size-4" />
        </Menu.Trigger>
        <Menu.Portal>
          <Menu.Content
            align="end"
            sideOffset={4}
            className="z-50 min-w-44 rounded-lg border border-border bg-surface p-1 shadow-lg animate-fade-in"
          >
            <Menu.Item className={MENU_ITEM} onSelect={() => onRename(item)}>
              <PencilIcon className="size-4 text-fg-muted" /> Rename
            </Menu.Item>
            <Menu.Item
              className={MENU_ITEM}
              onSelect={() => actions.patch(item.id, { pinned: !item.pinned }, 'pin the conversation')}
            >
              <PinIcon className="size-4 text-fg-muted" /> {item.pinned ? 'Unpin' : 'Pin'}
            </Menu.Item>
            <Menu.Item
              className={MENU_ITEM}
              onSelect={() =>
                actions.patch(item.id, { archived: !item.archived }, 'archive the conversation')
              }
            >
              <ArchiveIcon className="size-4 text-fg-muted" /> {item.archived ? 'Unarchive' : 'Archive'}
            </Menu.Item>
            <Menu.Item className={MENU_ITEM} onSelect={() => actions.fork(item.id)}>
              <ForkIcon className="size-4 text-fg-muted" /> Fork
            </Menu.Item>
            <Menu.Separator className="my-1 h-px bg-border" />
            <Menu.Item className={cn(MENU_ITEM, 'text-danger-soft-fg')} onSelect={() => onDelete(item)}>
              <TrashIcon className="size-4" /> Delete
            </Menu.Item>
          </Menu.Content>
        </Menu.Portal>
      </Menu.Root>
    </li>
  );
}

export function ConversationList({
  items,
  footer,
  onNavigate,
}: {
  items: ConversationItem[];
  footer?: React.ReactNode;
  onNavigate?: () => void;
}) {
  const params = useParams();
  const [searchParams] = useSearchParams();
  const q = searchParams.get('q') ?? '';
  const showArchived = searchParams.get('archived') === 'all';
  const actions = useConversationActions();
  const search = useDebouncedSearch(params.id ? `/chat/${params.id}` : '/chat', showArchived);
  // The box follows `q` when it changes elsewhere ("Clear", back), without losing focus while typing.
  const searchBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const box = searchBox.current;
    if (box && box.value.trim() !== q) box.value = q;
  }, [q]);
  const [renaming, setRenaming] = useState<ConversationItem | null>(null);
  const [deleting, setDeleting] = useState<ConversationItem | null>(null);
  const pinned = items.filter((i) => i.pinned);
  const recent = items.filter((i) => !i.pinned);
  const row = (item: ConversationItem) => (
    <ConversationRow
      key={item.id}
      item={item}
      active={params.id === item.id}
      onNavigate={onNavigate}
      onRename={setRenaming}
      onDelete={setDeleting}
    />
  );
  return (
    <div className="flex h-full flex-col">
      <div className="space-y-3 p-3">
        <Button asChild className="w-full justify-start" variant="secondary">
          <Link to="/chat" onClick={onNavigate}>
            <PlusIcon />
            New chat
          </Link>
        </Button>
        <Form method="get" action={params.id ? `/chat/${params.id}` : '/chat'} role="search">
          <label htmlFor="conversation-search" className="sr-only">
            Search conversations
          </label>
          <div className="relative">
            <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-fg-muted" />
            <input
              id="conversation-search"
              type="search"
              name="q"
              ref={searchBox}
              defaultValue={q}
              onChange={(e) => search(e.currentTarget.value)}
              placeholder="Search conversations"
              className="h-9 w-full rounded-md border border-border bg-surface pr-2 pl-8 text-sm text-fg placeholder:text-fg-muted focus-visible:outline-2 focus-visible:outline-ring"
            />
            {showArchived ? <input type="hidden" name="archived" value="all" /> : null}
          </div>
        </Form>
      </div>
      <nav aria-label="Conversations" className="min-h-0 flex-1 overflow-y-auto px-2 pb-3">
        {q ? (
          <p className="px-3 pb-2 text-xs text-fg-muted" aria-live="polite">
            {items.length === 0 ? `No conversations match “${q}”.` : `${items.length} matching “${q}”`}{' '}
            <Link to={params.id ? `/chat/${params.id}` : '/chat'} className="text-link underline">
              Clear
            </Link>
          </p>
        ) : null}
        {pinned.length > 0 ? (
          <section aria-labelledby="pinned-heading" className="mb-3">
            <h2
              id="pinned-heading"
              className="px-3 pb-1 text-xs font-semibold tracking-wide text-fg-muted uppercase"
            >
              Pinned
            </h2>
            <ul>{pinned.map(row)}</ul>
          </section>
        ) : null}
        {recent.length > 0 ? (
          <section aria-labelledby="recent-heading">
            <h2
              id="recent-heading"
              className="px-3 pb-1 text-xs font-semibold tracking-wide text-fg-muted uppercase"
            >
              {q ? 'Results' : 'Recent'}
            </h2>
            <ul>{recent.map(row)}</ul>
          </section>
        ) : null}
        {items.length === 0 && !q ? (
          <p className="px-3 py-6 text-center text-sm text-fg-muted">Your conversations will appear here.</p>
        ) : null}
        <div className="px-3 pt-3">
          <Link
            to={`${params.id ? `/chat/${params.id}` : '/chat'}${showArchived ? '' : '?archived=all'}`}
            className="text-xs text-fg-muted underline-offset-4 hover:text-fg hover:underline"
          >
            {showArchived ? 'Hide archived' : 'Show archived'}
          </Link>
        </div>
      </nav>
      {footer ? <div className="border-t border-border p-3">{footer}</div> : null}
      <RenameDialog
        item={renaming}
        heading="Rename conversation"
        onSave={(item, title) => void actions.patch(item.id, { title }, 'rename the conversation')}
        onClose={() => setRenaming(null)}
      />
      <DeleteDialog
        item={deleting}
        untitled="New conversation"
        consequence="The conversation and all its messages are deleted."
        onDelete={(item) => void actions.remove(item.id)}
        onClose={() => setDeleting(null)}
      />
    </div>
  );
}
