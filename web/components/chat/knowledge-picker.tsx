/**
 * Knowledge repositories attached to the conversation (cited answers): a button in the composer opens a
 * list of the repositories the person may read. The choice goes with the next message and is stored on
 * the conversation. While an attached repository still indexes, the composer says so and the status is
 * refreshed until everything is ready.
 */
import { useEffect, useState } from 'react';
import {
  Button,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '~/components/ui';
import { cn } from '~/lib/cn';
import { apiJson } from './api';
import type { PickerRepository } from './citations';
import { BookIcon } from './icons';

const POLL_MS = 3000;

/** The repositories with their indexing state, refreshed while an attached one is still indexing. */
export function useRepositoryStatus(initial: PickerRepository[], attached: string[]): PickerRepository[] {
  const [repositories, setRepositories] = useState(initial);
  useEffect(() => setRepositories(initial), [initial]);
  const indexing = repositories.some((r) => attached.includes(r.id) && r.itemsIndexing > 0);
  useEffect(() => {
    if (!indexing) return;
    const timer = setInterval(() => {
      apiJson<{ repositories: PickerRepository[] }>('/api/v1/repositories')
        .then((body) => setRepositories(body.repositories))
        .catch(() => {});
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [indexing]);
  return repositories;
}

export function KnowledgePicker({
  repositories,
  value,
  onChange,
  disabled,
}: {
  repositories: PickerRepository[];
  value: string[];
  onChange(ids: string[]): void;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(value);
  const attached = value.filter((id) => repositories.some((r) => r.id === id)).length;
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) setDraft(value);
      }}
    >
      <DialogTrigger asChild>
        <button
          type="button"
          disabled={disabled}
          aria-label={attached ? `Knowledge: ${attached} attached` : 'Attach knowledge'}
          title="Answer from knowledge repositories, with citations"
          className={cn(
            'inline-flex h-9 items-center gap-1 rounded-full px-2.5 text-sm text-fg-muted hover:bg-surface-muted hover:text-fg disabled:opacity-50',
            attached > 0 && 'bg-primary-soft text-primary-soft-fg',
          )}
        >
          <BookIcon className="size-[18px]" />
          {attached ? <span className="font-medium">{attached}</span> : null}
        </button>
      </DialogTrigger>
      <DialogContent className="max-w-lg">
        <DialogHeader>
          <DialogTitle>Answer from knowledge</DialogTitle>
          <DialogDescription>
            Each message searches the repositories you tick; the answer cites the passages it used as [1], [2]
            …
          </DialogDescription>
        </DialogHeader>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onChange(draft);
            setOpen(false);
          }}
        >
          <fieldset>
            <legend className="sr-only">Repositories</legend>
            <ul className="max-h-72 space-y-1 overflow-y-auto">
              {repositories.map((r) => (
                <li key={r.id}>
                  <label className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 hover:bg-surface-muted">
                    <input
                      type="checkbox"
                      checked={draft.includes(r.id)}
                      onChange={(e) =>
                        setDraft(e.target.checked ? [...draft, r.id] : draft.filter((id) => id !== r.id))
                      }
                    />
                    <span className="min-w-0 flex-1 truncate text-sm text-fg">{r.name}</span>
                    <span className="text-xs text-fg-muted">
                      {r.itemCount} {r.itemCount === 1 ? 'item' : 'items'}
                      {r.itemsIndexing ? ` · ${r.itemsIndexing} indexing` : ''}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <DialogFooter className="mt-4">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit">Use these</Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
