/** The attach button, the chips of files waiting to be sent (uploading, ready, failed) and their state. */
import { useCallback, useRef, useState } from 'react';
import { Spinner } from '~/components/ui';
import { cn } from '~/lib/cn';
import { describeError } from './api';
import { ACCEPT, type Attachment, uploadAttachment } from './attachments';
import { CloseIcon, FileIcon, PaperclipIcon } from './icons';

interface Pending {
  key: string;
  name: string;
  state: 'uploading' | 'ready' | 'failed';
  attachment?: Attachment;
  error?: string;
}

export function useAttachments() {
  const [items, setItems] = useState<Pending[]>([]);
  const add = useCallback((files: File[]) => {
    for (const file of files) {
      const key = crypto.randomUUID();
      setItems((all) => [...all, { key, name: file.name, state: 'uploading' }]);
      uploadAttachment(file).then(
        (attachment) =>
          setItems((all) => all.map((i) => (i.key === key ? { ...i, state: 'ready', attachment } : i))),
        (err: unknown) =>
          setItems((all) =>
            all.map((i) =>
              i.key === key ? { ...i, state: 'failed', error: describeError(err).message } : i,
            ),
          ),
      );
    }
  }, []);
  const remove = useCallback((key: string) => setItems((all) => all.filter((i) => i.key !== key)), []);
  const clear = useCallback(() => setItems([]), []);
  return {
    items,
    ready: items.flatMap((i) => (i.state === 'ready' && i.attachment ? [i.attachment] : [])),
    uploading: items.some((i) => i.state === 'uploading'),
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
            {i.state === 'uploading' ? (
              <Spinner size="sm" />
            ) : i.attachment?.kind === 'image' && i.attachment.url ? (
              <img src={i.attachment.url} alt="" className="size-6 rounded object-cover" />
            ) : (
              <FileIcon className="size-4 shrink-0" />
            )}
            <span className="min-w-0 truncate font-medium">{i.name}</span>
            {i.state === 'failed' ? <span className="truncate">{i.error}</span> : null}
            {i.attachment?.truncated ? <span className="text-fg-muted">(first part only)</span> : null}
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
