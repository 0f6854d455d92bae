/**
 * The attach button, the chips of files waiting to be sent (uploading, indexing, ready, failed) and their
 * state. A document too long for the prompt is indexed into the chat's private knowledge repository: its
 * chip shows the pipeline's progress, and a send waits for it like for an upload.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Spinner } from '~/components/ui';
import { cn } from '~/lib/cn';
import type { ItemView } from '../../../api/features/knowledge/knowledge.schemas';
import { apiJson, describeError } from './api';
import { ACCEPT, type Attachment, uploadAttachment } from './attachments';
import { CloseIcon, FileIcon, PaperclipIcon } from './icons';

interface Pending {
  key: string;
  name: string;
  state: 'uploading' | 'indexing' | 'ready' | 'failed';
  attachment?: Attachment;
  /** While indexing: what the pipeline is doing ("embedding 12/40"). */
  progress?: string;
  error?: string;
}

const POLL_MS = 2500;

/** The pipeline's stage in words, with its count when it has one. */
export function describeProgress(item: Pick<ItemView, 'stage' | 'progress'>): string {
  const stage = item.stage === 'ocr' ? 'OCR' : item.stage;
  return item.progress.total > 0 ? `${stage} ${item.progress.done}/${item.progress.total}` : stage;
}

/** Files for the chat `chatId` (its id before the conversation exists): a long document is indexed for it. */
export function useAttachments(chatId?: string) {
  const [items, setItems] = useState<Pending[]>([]);
  const patch = useCallback(
    (key: string, change: Partial<Pending>) =>
      setItems((all) => all.map((i) => (i.key === key ? { ...i, ...change } : i))),
    [],
  );
  const add = useCallback(
    (files: File[]) => {
      for (const file of files) {
        const key = crypto.randomUUID();
        setItems((all) => [...all, { key, name: file.name, state: 'uploading' }]);
        uploadAttachment(file, chatId).then(
          (attachment) =>
            patch(key, {
              state: attachment.knowledge && attachment.knowledge.status !== 'ready' ? 'indexing' : 'ready',
              progress: attachment.knowledge ? 'queued' : undefined,
              attachment,
            }),
          (err: unknown) => patch(key, { state: 'failed', error: describeError(err).message }),
        );
      }
    },
    [chatId, patch],
  );
  // Indexing chips follow their items until ready or failed (a removed chip stops being followed): one
  // request per repository every few seconds, well inside the API's per-minute budget.
  const indexing = items.filter((i) => i.state === 'indexing');
  const indexingKeys = indexing.map((i) => i.key).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-armed when the set of indexing chips changes
  useEffect(() => {
    if (indexing.length === 0) return;
    const repositories = [...new Set(indexing.map((i) => i.attachment!.knowledge!.repositoryId))];
    const timer = setInterval(() => {
      for (const repositoryId of repositories) {
        apiJson<{ items: ItemView[] }>(`/api/v1/repositories/${repositoryId}/items`)
          .then(({ items: rows }) => {
            for (const i of indexing) {
              const item = rows.find((r) => r.id === i.attachment!.knowledge!.itemId);
              if (!item) continue;
              if (item.status === 'ready') patch(i.key, { state: 'ready', progress: undefined });
              else if (item.status === 'failed')
                patch(i.key, { state: 'failed', error: item.error ?? 'Indexing failed' });
              else patch(i.key, { progress: describeProgress(item) });
            }
          })
          .catch(() => {});
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [indexingKeys, patch]);
  const remove = useCallback((key: string) => setItems((all) => all.filter((i) => i.key !== key)), []);
  const clear = useCallback(() => setItems([]), []);
  return {
    items,
    ready: items.flatMap((i) => (i.state === 'ready' && i.attachment ? [i.attachment] : [])),
    uploading: items.some((i) => i.state === 'uploading' || i.state === 'indexing'),
    add,
    remove,
    clear,
  };
}

export function AttachButton({ onFiles, disabled }: { onFiles(files: File[]): void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        disabled={disabled}
        onClick={() => input.current?.click()}
        aria-label="Attach files"
        title="Attach images or documents (PDF, DOCX, TXT, MD, CSV)"
        className="inline-flex size-9 items-center justify-center rounded-full text-fg-muted hover:bg-surface-muted hover:text-fg disabled:opacity-50"
      >
        <PaperclipIcon className="size-[18px]" />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        className="hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="attach-input"
        onChange={(e) => {
          onFiles([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
    </>
  );
}

export function AttachmentChips({
  items,
  onRemove,
  visionWarning,
}: {
  items: Pending[];
  onRemove(key: string): void;
  visionWarning: string | null;
}) {
  if (items.length === 0) return null;
  return (
    <div className="px-3 pt-3">
      <ul className="flex flex-wrap gap-2" aria-label="Attachments">
        {items.map((i) => (
          <li
            key={i.key}
            className={cn(
              'flex max-w-full items-center gap-2 rounded-lg border px-2.5 py-1.5 text-xs',
              i.state === 'failed'
                ? 'border-danger bg-danger-soft text-danger-soft-fg'
                : 'border-border bg-surface-muted text-fg',
            )}
          >
            {i.state === 'uploading' || i.state === 'indexing' ? (
              <Spinner size="sm" />
            ) : i.attachment?.kind === 'image' && i.attachment.url ? (
              <img src={i.attachment.url} alt="" className="size-6 rounded object-cover" />
            ) : (
              <FileIcon className="size-4 shrink-0" />
            )}
            <span className="min-w-0 truncate font-medium">{i.name}</span>
            {i.state === 'failed' ? <span className="truncate">{i.error}</span> : null}
            {i.attachment?.truncated ? <span className="text-fg-muted">(first part only)</span> : null}
            {i.state === 'indexing' ? (
              <span className="text-fg-muted" data-testid="attachment-indexing">
                indexing: {i.progress}
              </span>
            ) : i.attachment?.knowledge ? (
              <span className="text-fg-muted" title="Long document: answers cite the passages they use">
                (indexed, cited)
              </span>
            ) : null}
            <button
              type="button"
              onClick={() => onRemove(i.key)}
              aria-label={`Remove ${i.name}`}
              className="rounded p-0.5 text-fg-muted hover:bg-surface hover:text-fg"
            >
              <CloseIcon className="size-3.5" />
            </button>
          </li>
        ))}
      </ul>
      {visionWarning ? (
        <p role="alert" className="mt-1.5 text-xs font-medium text-danger">
          {visionWarning}
        </p>
      ) : null}
    </div>
  );
}
