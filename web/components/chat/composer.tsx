/**
 * The message box. Enter sends, Shift+Enter adds a line, Escape stops a streaming answer. The box grows
 * with its text up to a limit. While an answer streams the send button becomes a stop button.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { cn } from '~/lib/cn';
import { SendIcon, StopIcon } from './icons';

export interface ComposerHandle {
  focus(): void;
}

export const Composer = forwardRef<
  ComposerHandle,
  {
    busy: boolean;
    disabled?: boolean;
    disabledReason?: string;
    placeholder?: string;
    onSend(text: string): void;
    onStop(): void;
    children?: React.ReactNode;
    inputId?: string;
    label?: string;
    /** Shown above the text (e.g. attachment chips). */
    above?: React.ReactNode;
    /** Sending with no text is allowed (e.g. attachments alone). */
    allowEmpty?: boolean;
    /** Blocks sending without blocking typing (e.g. an image for a model without vision). */
    sendDisabled?: boolean;
    /** Files are still uploading: a send now is remembered and happens when they are done. */
    sendPending?: boolean;
    /** Why sending is blocked, read out with the send button (the reason is also shown on the page). */
    sendDisabledReason?: string;
    /** Files pasted or dropped into the box. */
    onFiles?(files: File[]): void;
  }
>(function Composer(
  {
    busy,
    disabled,
    disabledReason,
    placeholder,
    onSend,
    onStop,
    children,
    inputId = 'chat-input',
    label = 'Message',
    above,
    allowEmpty = false,
    sendDisabled = false,
    sendPending = false,
    sendDisabledReason,
    onFiles,
  },
  ref,
) {
  const [text, setText] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(ref, () => ({ focus: () => area.current?.focus() }), []);

  // Grow with the content (up to ~10 lines); shrink back after sending.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure whenever the text changes
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [text]);

  const ready = !busy && !disabled && !sendDisabled && (allowEmpty || text.trim().length > 0);
  const canSend = ready && !sendPending;
  // Sending while files upload is remembered and happens when they are done, not dropped.
  const [queued, setQueued] = useState(false);
  const send = () => {
    if (ready && sendPending) return setQueued(true);
    if (!canSend) return;
    onSend(text.trim());
    setText('');
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: fire once when the uploads end
  useEffect(() => {
    if (!queued || sendPending) return;
    setQueued(false);
    send();
  }, [queued, sendPending]);

  return (
    <form
      className="rounded-2xl border border-border-strong/60 bg-surface shadow-sm focus-within:border-ring focus-within:ring-1 focus-within:ring-ring"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {above}
      <label htmlFor={inputId} className="sr-only">
        {label}
      </label>
      <textarea
        id={inputId}
        ref={area}
        rows={1}
        value={text}
        disabled={disabled}
        placeholder={disabled ? disabledReason : (placeholder ?? 'Send a message')}
        aria-describedby={`${inputId}-hint`}
        onChange={(e) => setText(e.target.value)}
        onPaste={(e) => {
          const files = [...e.clipboardData.files];
          if (onFiles && files.length) {
            e.preventDefault();
            onFiles(files);
          }
        }}
        onDrop={(e) => {
          const files = [...e.dataTransfer.files];
          if (onFiles && files.length) {
            e.preventDefault();
            onFiles(files);
          }
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            send();
          } else if (e.key === 'Escape' && busy) {
            e.preventDefault();
            onStop();
          }
        }}
        className="block max-h-60 w-full resize-none bg-transparent px-4 pt-3.5 pb-2 text-[15px] leading-6 text-fg placeholder:text-fg-muted focus:outline-none disabled:cursor-not-allowed"
      />
      <div className="flex items-center gap-2 px-2.5 pb-2.5">
        <div className="flex min-w-0 flex-1 items-center gap-1.5">{children}</div>
        <span id={`${inputId}-hint`} className="hidden text-xs text-fg-muted sm:inline">
          {busy
            ? 'Esc to stop'
            : queued
              ? 'Sends when the files finish uploading'
              : 'Enter to send · Shift+Enter for a new line'}
        </span>
        {busy ? (
          <button
            type="button"
            onClick={onStop}
            className="inline-flex size-9 items-center justify-center rounded-full bg-fg text-bg hover:opacity-90"
            aria-label="Stop generating"
          >
            <StopIcon className="size-4 fill-current" />
          </button>
        ) : (
          <button
            type="submit"
            disabled={!ready}
            title={sendDisabledReason}
            aria-description={sendDisabledReason}
            className={cn(
              'inline-flex size-9 items-center justify-center rounded-full bg-primary text-primary-fg hover:bg-primary-hover',
              'disabled:cursor-not-allowed disabled:bg-surface-muted disabled:text-fg-muted',
            )}
            aria-label="Send message"
          >
            <SendIcon className="size-4" />
          </button>
        )}
      </div>
    </form>
  );
});
