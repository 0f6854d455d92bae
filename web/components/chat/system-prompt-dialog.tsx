/** Per-conversation instructions (the system prompt), edited in a dialog from the chat header. */
import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
  Textarea,
} from '~/components/ui';
import { cn } from '~/lib/cn';
import { SettingsIcon } from './icons';

export function SystemPromptDialog({
  value,
  onSave,
  disabled,
}: {
  value: string;
  onSave(value: string): void;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(value);
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
          className={cn(
            'inline-flex h-9 items-center gap-1.5 rounded-md px-2.5 text-sm text-fg-muted hover:bg-surface-muted hover:text-fg disabled:opacity-50',
            value && 'text-fg',
          )}
        >
          <SettingsIcon />
          <span className="hidden sm:inline">Instructions</span>
          {value ? (
            <>
              <span className="size-1.5 rounded-full bg-primary" aria-hidden="true" />
              <span className="sr-only">(set)</span>
            </>
          ) : null}
        </button>
      </DialogTrigger>
      <DialogContent className="max-w-xl">
        <DialogHeader>
          <DialogTitle>Instructions for this conversation</DialogTitle>
          <DialogDescription>
            The model reads these before every message (a system prompt): a role, a tone, a format to use.
          </DialogDescription>
        </DialogHeader>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onSave(draft.trim());
            setOpen(false);
          }}
        >
          <label htmlFor="system-prompt" className="sr-only">
            Instructions
          </label>
          <Textarea
            id="system-prompt"
            rows={8}
            maxLength={20_000}
            value={draft}
            placeholder="e.g. You are a patient tutor for 8th-grade science. Answer in short paragraphs."
            onChange={(e) => setDraft(e.target.value)}
          />
          <DialogFooter className="mt-4">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit">Save</Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
