/**
 * The saved comparisons rail: each opens the comparison, and can be renamed or deleted (PATCH / DELETE
 * /api/comparisons/:id, then the loaders revalidate; deleting the open one goes back to a new comparison).
 */
import { Link, useNavigate } from '@remix-run/react';
import { useState } from 'react';
import { cn } from '~/lib/cn';
import { apiJson } from '../chat/api';
import { PencilIcon, TrashIcon } from '../chat/icons';
import { DeleteDialog, RenameDialog } from '../chat/title-dialogs';
import { useListAction } from '../chat/use-list-action';

export interface SavedComparison {
  id: string;
  title: string;
  models: { modelName: string }[];
}

function useComparisonActions(activeId: string | undefined) {
  const navigate = useNavigate();
  const run = useListAction();
  return {
    rename: (id: string, title: string) =>
      run('rename the comparison', () =>
        apiJson(`/api/comparisons/${id}`, { method: 'PATCH', json: { title } }),
      ),
    remove: (id: string) =>
      run('delete the comparison', async () => {
        await apiJson(`/api/comparisons/${id}`, { method: 'DELETE' });
        if (activeId === id) navigate('/compare', { replace: true });
      }),
  };
}

const ACTION =
  'inline-flex size-7 shrink-0 items-center justify-center rounded-md text-fg-muted hover:bg-surface hover:text-fg focus-visible:outline-2 focus-visible:outline-ring';

export function SavedList({ list, activeId }: { list: SavedComparison[]; activeId?: string }) {
  const actions = useComparisonActions(activeId);
  const [renaming, setRenaming] = useState<SavedComparison | null>(null);
  const [deleting, setDeleting] = useState<SavedComparison | null>(null);
  return (
    <nav aria-label="Saved comparisons" className="min-h-0 flex-1 overflow-y-auto px-2 pb-3">
      <h2 className="px-3 pb-1 text-xs font-semibold tracking-wide text-fg-muted uppercase">Saved</h2>
      {list.length === 0 ? (
        <p className="px-3 py-4 text-sm text-fg-muted">Your comparisons will appear here.</p>
      ) : null}
      <ul>
        {list.map((c) => (
          <li
            key={c.id}
            className={cn(
              'group flex items-center gap-1 rounded-lg pr-1 hover:bg-surface-muted',
              c.id === activeId && 'bg-surface-muted',
            )}
          >
            <Link
              to={`/compare/${c.id}`}
              aria-current={c.id === activeId ? 'page' : undefined}
              className={cn(
                'block min-w-0 flex-1 px-3 py-2 text-sm text-fg',
                c.id === activeId && 'font-medium',
              )}
            >
              <span className="block truncate">{c.title}</span>
              <span className="block truncate text-xs text-fg-muted">
                {c.models.map((m) => m.modelName).join(' · ')}
              </span>
            </Link>
            <button
              type="button"
              className={ACTION}
              aria-label={`Rename “${c.title}”`}
              onClick={() => setRenaming(c)}
            >
              <PencilIcon className="size-3.5" />
            </button>
            <button
              type="button"
              className={ACTION}
              aria-label={`Delete “${c.title}”`}
              onClick={() => setDeleting(c)}
            >
              <TrashIcon className="size-3.5" />
            </button>
          </li>
        ))}
      </ul>
      <RenameDialog
        item={renaming}
        heading="Rename comparison"
        onSave={(item, title) => void actions.rename(item.id, title)}
        onClose={() => setRenaming(null)}
      />
      <DeleteDialog
        item={deleting}
        untitled="Comparison"
        consequence="The comparison, every answer in it and their numbers are deleted."
        onDelete={(item) => void actions.remove(item.id)}
        onClose={() => setDeleting(null)}
      />
    </nav>
  );
}
