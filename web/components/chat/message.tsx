/**
 * One message of the branch on screen. User messages can be edited and resent (a new sibling branch);
 * assistant messages can be regenerated; both show "‹ 2/3 ›" to move between sibling branches.
 */
import type { UIMessage } from 'ai';
import { useEffect, useRef, useState } from 'react';
import { Button } from '~/components/ui';
import { cn } from '~/lib/cn';
import { formatTokens, formatUsd } from '~/lib/format';
import { documentName, documentUrl } from './attachments';
import { linkCitations, sourcesOf } from './citations';
import {
  CheckIcon,
  ChevronLeftIcon,
  ChevronRightIcon,
  CopyIcon,
  FileIcon,
  PencilIcon,
  RefreshIcon,
} from './icons';
import { Markdown, useCopy } from './markdown';
import { SourceList } from './sources';

export interface MessageMeta {
  siblingIds?: string[];
  status?: 'complete' | 'streaming' | 'failed' | 'stopped';
  error?: string | null;
  /** `estimated`: the provider sent no usage (stopped or cut answer); the server estimated it. */
  usage?: { inputTokens: number; outputTokens: number; estimated?: boolean };
  costUsd?: string | null;
  ttftMs?: number | null;
  latencyMs?: number | null;
}

export type ChatUIMessage = UIMessage<MessageMeta>;

/** Images we show inline: stored attachments (same origin) and data URLs, never third-party addresses. */
const SHOWN_IMAGE = /^(data:image\/|\/api\/attachments\/[0-9a-f-]{36}$)/i;

/** The typed text of a message: attached documents (text parts wrapped in <document>) are left out. */
export function messageText(m: UIMessage): string {
  return m.parts
    .filter((p): p is { type: 'text'; text: string } => p.type === 'text' && documentName(p.text) === null)
    .map((p) => p.text)
    .join('');
}

/** Images and documents attached to a user message, shown above its text. */
function MessageAttachments({ message }: { message: ChatUIMessage }) {
  type Item = { key: string; kind: 'image' | 'document'; name: string; url: string; mediaType: string };
  const items: Item[] = [];
  message.parts.forEach((p, i) => {
    const key = `${message.id}-${i}`;
    if (p.type === 'file') {
      items.push({ key, kind: 'image', name: p.filename ?? 'image', url: p.url, mediaType: p.mediaType });
    } else if (p.type === 'text') {
      const name = documentName(p.text);
      if (name) items.push({ key, kind: 'document', name, url: documentUrl(p.text) ?? '', mediaType: '' });
    }
  });
  if (items.length === 0) return null;
  return (
    <ul className="flex max-w-[85%] flex-wrap justify-end gap-2" aria-label="Attachments">
      {items.map((a) =>
        a.kind === 'image' && a.mediaType.startsWith('image/') && SHOWN_IMAGE.test(a.url) ? (
          <li key={a.key}>
            <img src={a.url} alt={a.name} className="max-h-40 rounded-xl border border-border object-cover" />
          </li>
        ) : (
          <li
            key={a.key}
            className="flex items-center gap-2 rounded-xl border border-border bg-surface px-3 py-2 text-sm text-fg"
          >
            <FileIcon className="size-4 text-fg-muted" />
            {a.kind === 'document' && a.url ? (
              <a
                href={a.url}
                download={a.name}
                className="max-w-56 truncate underline-offset-2 hover:underline focus-visible:underline"
                title={`Download ${a.name}`}
              >
                {a.name}
              </a>
            ) : (
              <span className="max-w-56 truncate">{a.name}</span>
            )}
          </li>
        ),
      )}
    </ul>
  );
}

function ActionButton({
  label,
  onClick,
  children,
  disabled,
  disabledReason,
}: {
  label: string;
  onClick(): void;
  children: React.ReactNode;
  disabled?: boolean;
  /** Why the action is unavailable (read out with it, and its tooltip). */
  disabledReason?: string;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      aria-description={disabledReason}
      title={disabledReason ? `${label} — ${disabledReason}` : label}
      disabled={disabled}
      onClick={onClick}
      className="inline-flex size-8 items-center justify-center rounded-md text-fg-muted hover:bg-surface-muted hover:text-fg disabled:pointer-events-none disabled:opacity-40"
    >
      {children}
    </button>
  );
}

function BranchNav({
  message,
  disabled,
  onSwitch,
}: {
  message: ChatUIMessage;
  disabled: boolean;
  onSwitch(siblingId: string): void;
}) {
  const siblings = message.metadata?.siblingIds ?? [];
  const index = siblings.indexOf(message.id);
  if (siblings.length < 2 || index < 0) return null;
  const go = (delta: number) => {
    const target = siblings[index + delta];
    if (target) onSwitch(target);
  };
  return (
    <nav aria-label="Versions of this message" className="flex items-center text-xs text-fg-muted">
      <ActionButton label="Previous version" onClick={() => go(-1)} disabled={disabled || index === 0}>
        <ChevronLeftIcon />
      </ActionButton>
      <span className="tabular-nums" aria-live="polite">
        {index + 1}/{siblings.length}
      </span>
      <ActionButton
        label="Next version"
        onClick={() => go(1)}
        disabled={disabled || index === siblings.length - 1}
      >
        <ChevronRightIcon />
      </ActionButton>
    </nav>
  );
}

function CopyButton({ text }: { text: string }) {
  const [copied, copy] = useCopy();
  return (
    <ActionButton label={copied ? 'Copied' : 'Copy'} onClick={() => copy(text)}>
      {copied ? <CheckIcon /> : <CopyIcon />}
    </ActionButton>
  );
}

function UserMessage({
  message,
  busy,
  onEdit,
  onSwitch,
}: {
  message: ChatUIMessage;
  busy: boolean;
  onEdit(text: string): void;
  onSwitch(id: string): void;
}) {
  const text = messageText(message);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(text);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (editing) area.current?.focus();
  }, [editing]);
  if (editing) {
    return (
      <form
        className="ml-auto w-full max-w-2xl rounded-2xl border border-border-strong bg-surface p-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!draft.trim()) return;
          setEditing(false);
          onEdit(draft.trim());
        }}
      >
        <label htmlFor={`edit-${message.id}`} className="sr-only">
          Edit your message
        </label>
        <textarea
          id={`edit-${message.id}`}
          ref={area}
          value={draft}
          rows={Math.min(10, Math.max(2, draft.split('\n').length))}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setEditing(false);
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
          className="w-full resize-none bg-transparent text-[15px] leading-6 text-fg focus:outline-none"
        />
        <div className="mt-2 flex justify-end gap-2">
          <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
            Cancel
          </Button>
          <Button size="sm" type="submit" disabled={!draft.trim()}>
            Send
          </Button>
        </div>
      </form>
    );
  }
  return (
    <div className="group flex flex-col items-end gap-1">
      <MessageAttachments message={message} />
      {text ? (
        <div className="max-w-[85%] whitespace-pre-wrap rounded-2xl rounded-br-md bg-primary-soft px-4 py-2.5 text-[15px] leading-6 text-fg dark:text-primary-soft-fg">
          {text}
        </div>
      ) : null}
      <div className="flex items-center opacity-100 transition-opacity sm:opacity-0 sm:group-focus-within:opacity-100 sm:group-hover:opacity-100">
        <BranchNav message={message} disabled={busy} onSwitch={onSwitch} />
        <CopyButton text={text} />
        <ActionButton
          label="Edit message"
          disabled={busy}
          onClick={() => {
            setDraft(text);
            setEditing(true);
          }}
        >
          <PencilIcon />
        </ActionButton>
      </div>
    </div>
  );
}

function AssistantFooter({ meta }: { meta: MessageMeta | undefined }) {
  if (!meta?.usage || meta.status === 'streaming') return null;
  const about = meta.usage.estimated ? '≈ ' : '';
  const parts = [
    `${about}${formatTokens(meta.usage.inputTokens + meta.usage.outputTokens)} tokens`,
    meta.costUsd ? `${about}${formatUsd(meta.costUsd)}` : null,
    meta.ttftMs != null ? `first token ${meta.ttftMs} ms` : null,
  ].filter(Boolean);
  return (
    <span
      className="hidden text-xs text-fg-muted sm:inline"
      title={
        meta.usage.estimated
          ? 'Estimated: the answer ended before the provider reported its usage'
          : undefined
      }
    >
      {parts.join(' · ')}
    </span>
  );
}

function AssistantMessage({
  message,
  streaming,
  busy,
  blockedReason,
  isLast,
  onRegenerate,
  onSwitch,
}: {
  message: ChatUIMessage;
  streaming: boolean;
  busy: boolean;
  blockedReason?: string;
  isLast: boolean;
  onRegenerate(): void;
  onSwitch(id: string): void;
}) {
  const text = messageText(message);
  const sources = sourcesOf(message);
  const status = message.metadata?.status;
  return (
    <div className="group flex gap-3">
      <div
        aria-hidden="true"
        className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full bg-primary text-[11px] font-bold text-primary-fg"
      >
        AI
      </div>
      <div className="min-w-0 flex-1">
        {text ? (
          <Markdown
            text={linkCitations(text, sources)}
            streaming={streaming}
            className="text-[15px] text-fg"
          />
        ) : streaming ? (
          <p className="flex items-center gap-1.5 py-1 text-sm text-fg-muted">
            <span className="typing-dot" />
            <span className="typing-dot [animation-delay:150ms]" />
            <span className="typing-dot [animation-delay:300ms]" />
            <span className="sr-only">Thinking</span>
          </p>
        ) : null}
        <SourceList sources={sources} />
        {status === 'stopped' ? <p className="mt-2 text-xs font-medium text-fg-muted">Stopped</p> : null}
        {status === 'failed' ? (
          <p className="mt-2 rounded-md bg-danger-soft px-3 py-2 text-sm text-danger-soft-fg">
            This answer failed
            {message.metadata?.error ? `: ${message.metadata.error.replace(/[.!?]$/, '')}` : ''}.
          </p>
        ) : null}
        {!streaming ? (
          <div
            className={cn(
              'mt-1 flex items-center gap-1 transition-opacity',
              isLast ? '' : 'sm:opacity-0 sm:group-focus-within:opacity-100 sm:group-hover:opacity-100',
            )}
          >
            <BranchNav message={message} disabled={busy} onSwitch={onSwitch} />
            <CopyButton text={text} />
            <ActionButton
              label="Regenerate answer"
              disabled={busy || blockedReason !== undefined}
              disabledReason={blockedReason}
              onClick={onRegenerate}
            >
              <RefreshIcon />
            </ActionButton>
            <AssistantFooter meta={message.metadata} />
          </div>
        ) : null}
      </div>
    </div>
  );
}

export function ChatMessage(props: {
  message: ChatUIMessage;
  streaming: boolean;
  busy: boolean;
  /** Set when new answers are blocked (budget used up): regenerate is disabled, saying why. */
  blockedReason?: string;
  isLast: boolean;
  onEdit(id: string, text: string): void;
  onRegenerate(id: string): void;
  onSwitch(id: string): void;
}) {
  const { message } = props;
  return (
    <li data-role={message.role} data-message-id={message.id} className="list-none">
      <h3 className="sr-only">{message.role === 'user' ? 'You said' : 'The assistant said'}</h3>
      {message.role === 'user' ? (
        <UserMessage
          message={message}
          busy={props.busy}
          onEdit={(text) => props.onEdit(message.id, text)}
          onSwitch={props.onSwitch}
        />
      ) : (
        <AssistantMessage
          message={message}
          streaming={props.streaming}
          busy={props.busy}
          blockedReason={props.blockedReason}
          isLast={props.isLast}
          onRegenerate={() => props.onRegenerate(message.id)}
          onSwitch={props.onSwitch}
        />
      )}
    </li>
  );
}
