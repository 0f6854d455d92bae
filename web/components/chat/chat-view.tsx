/**
 * One conversation on screen: `useChat` over POST /api/chat (AI SDK UI message stream), the model picker,
 * instructions, the message list with edit/regenerate/branch navigation, stop, errors with retry.
 * The server is the source of truth: after every answer the loaders revalidate and the branch they return
 * (with server ids and sibling lists) replaces the local messages.
 */
import { useChat } from '@ai-sdk/react';
import { useNavigate, useRevalidator } from '@remix-run/react';
import { DefaultChatTransport } from 'ai';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, useToast } from '~/components/ui';
import { useLocale } from '~/lib/root-data';
import type { SetupStep } from '../../../api/features/setup/setup.service';
import { type BudgetFigures, budgetReachedMessage } from '../../../api/features/usage/budget-wording';
import { apiJson, describeError } from './api';
import { AttachButton, AttachmentChips, useAttachments } from './attachment-chips';
import { attachmentParts, documentName } from './attachments';
import { EmptyState } from './chat-empty-state';
import { useChatLayout } from './chat-layout-context';
import { leafOf, type TreeMessage } from './chat-tree';
import { indexingNote, type PickerRepository } from './citations';
import { Composer, type ComposerHandle } from './composer';
import { SidebarIcon } from './icons';
import { KnowledgePicker, useRepositoryStatus } from './knowledge-picker';
import { LiveAnnouncer } from './live-announcer';
import { ChatMessage, type ChatUIMessage, messageText } from './message';
import { ModelPicker, type PickerModel } from './model-picker';
import { SystemPromptDialog } from './system-prompt-dialog';

export interface ChatViewProps {
  chatId: string;
  /** Null for a conversation not created yet (the first message creates it with chatId). */
  conversation: {
    id: string;
    title: string;
    modelId: string | null;
    systemPrompt: string | null;
    repositoryIds: string[];
  } | null;
  initialMessages: ChatUIMessage[];
  tree: TreeMessage[];
  models: PickerModel[];
  /** Knowledge repositories the person may read (empty without knowledge:use). */
  repositories: PickerRepository[];
  /** This month's budget once it is used up (sending and regenerating are then disabled, with why). */
  budgetExceeded?: BudgetFigures | null;
  /** The administrator's setup checklist when no model is available yet; null for everyone else. */
  setup?: SetupStep[] | null;
}

const NO_IDS: string[] = [];

export function ChatView({
  chatId,
  conversation,
  initialMessages,
  tree,
  models,
  repositories: knownRepositories,
  budgetExceeded,
  setup = null,
}: ChatViewProps) {
  const navigate = useNavigate();
  const { revalidate } = useRevalidator();
  const { toast } = useToast();
  const { openSidebar } = useChatLayout();
  const locale = useLocale();
  const composer = useRef<ComposerHandle>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const pinnedToBottom = useRef(true);
  const reloadRef = useRef(() => {});
  const attachments = useAttachments(chatId);

  const fallbackModel = models[0]?.id ?? '';
  const [modelId, setModelId] = useState(
    conversation?.modelId && models.some((m) => m.id === conversation.modelId)
      ? conversation.modelId
      : fallbackModel,
  );
  const [systemPrompt, setSystemPrompt] = useState(conversation?.systemPrompt ?? '');
  const [attached, setAttached] = useState(conversation?.repositoryIds ?? NO_IDS);
  const repositories = useRepositoryStatus(knownRepositories, attached);
  // Only repositories still readable go with the message (a deleted one would be refused).
  const repositoryIds = attached.filter((id) => repositories.some((r) => r.id === id));
  // The request body reads these at send time, so a change applies to the next message.
  const latest = useRef({ modelId, systemPrompt, repositoryIds, conversationId: conversation?.id });
  latest.current = { modelId, systemPrompt, repositoryIds, conversationId: conversation?.id };

  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatUIMessage>({
        api: '/api/chat',
        prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => ({
          body: {
            id,
            conversationId: latest.current.conversationId,
            modelId: latest.current.modelId || undefined,
            systemPrompt: latest.current.conversationId
              ? undefined
              : latest.current.systemPrompt || undefined,
            repositoryIds: latest.current.repositoryIds,
            // The server reads only the last message; the history comes from the database.
            messages: messages.slice(-1),
            trigger,
            messageId,
          },
        }),
      }),
    [],
  );

  const { messages, sendMessage, regenerate, stop, status, error, setMessages, clearError } =
    useChat<ChatUIMessage>({
      id: chatId,
      messages: initialMessages,
      transport,
      experimental_throttle: 40,
      // A stopped answer is reloaded by stopAnswer, once the server has saved it.
      onFinish: ({ isAbort }) => {
        if (!isAbort) reloadRef.current();
      },
    });

  const busy = status === 'submitted' || status === 'streaming';

  // The loaders' branch replaces local state whenever it changes and nothing is streaming.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the server data changes
  useEffect(() => {
    if (!busy) setMessages(initialMessages);
  }, [initialMessages]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus the box when another conversation opens
  useEffect(() => {
    composer.current?.focus();
  }, [chatId]);

  // Follow the answer while the reader is at the bottom; leave them alone once they scroll up.
  useEffect(() => {
    const el = scroller.current;
    if (el && pinnedToBottom.current) el.scrollTop = el.scrollHeight;
  });

  const reload = useCallback(() => {
    if (!latest.current.conversationId)
      navigate(`/chat/${chatId}`, { replace: true, preventScrollReset: true });
    else revalidate();
  }, [chatId, navigate, revalidate]);

  reloadRef.current = reload;

  const stopAnswer = useCallback(async () => {
    const last = messages.at(-1);
    void stop();
    composer.current?.focus();
    // Closing the stream alone does not stop the server (it saves the whole answer); ask it to stop, then
    // reload the answer with its final status once the server has saved it.
    if (last?.role === 'assistant') {
      await fetch(`/api/chat/${last.id}/stop`, { method: 'POST' }).catch(() => {});
    }
    setTimeout(reload, 250);
  }, [messages, stop, reload]);

  const switchBranch = useCallback(
    async (siblingId: string) => {
      if (!conversation) return;
      try {
        await apiJson(`/api/conversations/${conversation.id}`, {
          method: 'PATCH',
          json: { currentLeafId: leafOf(tree, siblingId) },
        });
        revalidate();
      } catch (err) {
        toast({
          title: 'Could not switch version',
          description: describeError(err, locale).message,
          variant: 'danger',
        });
      }
    },
    [conversation, tree, revalidate, toast, locale],
  );

  const saveConversation = async (patch: Record<string, unknown>) => {
    if (!conversation) return;
    try {
      await apiJson(`/api/conversations/${conversation.id}`, { method: 'PATCH', json: patch });
      revalidate();
    } catch (err) {
      toast({ title: 'Could not save', description: describeError(err, locale).message, variant: 'danger' });
    }
  };

  const indexing = indexingNote(repositories, repositoryIds);
  const lastAssistant = [...messages].reverse().find((m) => m.role === 'assistant');
  const failure = error ? describeError(error, locale) : null;
  const blockedReason = budgetExceeded ? budgetReachedMessage(budgetExceeded, locale) : undefined;
  const noModels = models.length === 0;
  const current = models.find((m) => m.id === modelId);
  const visionWarning =
    current && !current.capabilities.includes('vision') && attachments.ready.some((a) => a.kind === 'image')
      ? `${current.displayName} does not read images: pick a model with vision, or remove the image to send.`
      : null;

  return (
    <div className="flex h-full min-w-0 flex-1 flex-col">
      <div className="flex h-14 shrink-0 items-center gap-2 border-b border-border bg-surface px-3 sm:px-4">
        <button
          type="button"
          onClick={openSidebar}
          className="inline-flex size-9 items-center justify-center rounded-md text-fg-muted hover:bg-surface-muted hover:text-fg md:hidden"
          aria-label="Show conversations"
        >
          <SidebarIcon className="size-5" />
        </button>
        <h1 className="min-w-0 flex-1 truncate text-sm font-semibold text-fg sm:text-base">
          {conversation?.title || 'New conversation'}
        </h1>
        <ModelPicker
          models={models}
          value={modelId}
          disabled={busy}
          onChange={(id) => {
            setModelId(id);
            void saveConversation({ modelId: id });
          }}
        />
        <SystemPromptDialog
          value={systemPrompt}
          disabled={busy}
          onSave={(v) => {
            setSystemPrompt(v);
            void saveConversation({ systemPrompt: v || null });
          }}
        />
      </div>

      <div
        ref={scroller}
        className="min-h-0 flex-1 overflow-y-auto"
        onScroll={(e) => {
          const el = e.currentTarget;
          pinnedToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
        }}
      >
        <div className="mx-auto w-full max-w-3xl px-4 py-6 sm:px-6">
          {messages.length === 0 ? (
            <EmptyState noModels={noModels} setup={setup} />
          ) : (
            <section aria-label="Messages">
              <ol className="space-y-6">
                {messages.map((m, i) => (
                  <ChatMessage
                    key={m.id}
                    message={m}
                    streaming={busy && i === messages.length - 1 && m.role === 'assistant'}
                    busy={busy}
                    blockedReason={blockedReason}
                    isLast={i === messages.length - 1}
                    onEdit={(id, text) => {
                      clearError();
                      // Attachments of the edited message go with the new text.
                      const kept = m.parts.filter(
                        (p) => p.type === 'file' || (p.type === 'text' && documentName(p.text)),
                      );
                      if (kept.length === 0) void sendMessage({ text, messageId: id });
                      else
                        void sendMessage({
                          parts: [{ type: 'text', text }, ...kept],
                          messageId: id,
                        } as Parameters<typeof sendMessage>[0]);
                    }}
                    onRegenerate={(id) => {
                      clearError();
                      void regenerate({ messageId: id });
                    }}
                    onSwitch={(id) => void switchBranch(id)}
                  />
                ))}
              </ol>
            </section>
          )}
          {blockedReason && !failure?.budget ? (
            <Alert variant="warning" title="Monthly budget reached" className="mt-6">
              <p>{blockedReason} Sending and regenerating are turned off until then.</p>
            </Alert>
          ) : null}
          {failure ? (
            <Alert
              variant="danger"
              title={failure.budget ? 'Monthly budget reached' : 'The answer failed'}
              className="mt-6"
            >
              <p>{failure.message}</p>
              {!failure.budget ? (
                <Button
                  size="sm"
                  variant="secondary"
                  className="mt-3"
                  onClick={() => {
                    clearError();
                    void regenerate();
                  }}
                >
                  Retry
                </Button>
              ) : null}
            </Alert>
          ) : null}
        </div>
      </div>

      <div className="shrink-0 bg-canvas px-3 pt-2 pb-3 sm:px-6">
        <div className="mx-auto w-full max-w-3xl">
          <Composer
            ref={composer}
            busy={busy}
            disabled={noModels || blockedReason !== undefined}
            disabledReason={
              noModels
                ? setup
                  ? 'No model is available yet — add one in Admin → Models.'
                  : 'No model is available to you yet — ask your administrator.'
                : blockedReason
            }
            onSend={(text) => {
              clearError();
              pinnedToBottom.current = true;
              if (attachments.ready.length === 0) {
                void sendMessage({ text });
              } else {
                // The typed text first: the automatic title comes from the first text part.
                const parts = [
                  ...(text ? [{ type: 'text' as const, text }] : []),
                  ...attachmentParts(attachments.ready),
                ];
                void sendMessage({ parts } as Parameters<typeof sendMessage>[0]);
              }
              attachments.clear();
            }}
            onStop={() => void stopAnswer()}
            allowEmpty={attachments.ready.length > 0}
            sendDisabled={visionWarning !== null}
            sendPending={attachments.uploading}
            sendDisabledReason={visionWarning ?? undefined}
            onFiles={attachments.add}
            above={
              <AttachmentChips
                items={attachments.items}
                onRemove={attachments.remove}
                visionWarning={visionWarning}
              />
            }
          >
            <AttachButton onFiles={attachments.add} disabled={busy || noModels} />
            {repositories.length ? (
              <KnowledgePicker
                repositories={repositories}
                value={repositoryIds}
                onChange={setAttached}
                disabled={busy || noModels}
              />
            ) : null}
          </Composer>
          {indexing ? (
            <p role="status" className="mt-2 text-center text-xs text-fg-muted">
              {indexing}
            </p>
          ) : null}
          <p className="mt-2 text-center text-xs text-fg-muted">
            AI can make mistakes. Check important information.
          </p>
        </div>
      </div>
      <LiveAnnouncer
        text={lastAssistant ? messageText(lastAssistant) : ''}
        streaming={busy && messages.at(-1)?.role === 'assistant'}
      />
    </div>
  );
}
