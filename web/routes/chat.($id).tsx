/**
 * /chat (a new conversation) and /chat/:id. One route for both, so the first answer of a new conversation
 * can move the address to /chat/:id without remounting the chat (the stream keeps its state).
 */
import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData, useLocation, useParams, useRouteLoaderData } from '@remix-run/react';
import { useMemo } from 'react';
import { ChatView } from '~/components/chat/chat-view';
import type { PickerRepository } from '~/components/chat/citations';
import type { ChatUIMessage } from '~/components/chat/message';
import { requireCapability } from '~/lib/auth.server';
import { asResponse, conversationData } from '~/lib/chat.server';
import type { loader as layoutLoader } from './chat';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireCapability(context, request, 'chat:use');
  if (!params.id) return null;
  return conversationData(context, params.id).catch(asResponse);
}

const NO_MESSAGES: ChatUIMessage[] = [];
const NO_REPOSITORIES: PickerRepository[] = [];

export default function ChatPage() {
  const data = useLoaderData<typeof loader>();
  const layout = useRouteLoaderData<typeof layoutLoader>('routes/chat');
  const params = useParams();
  const location = useLocation();
  // A fresh id per visit to /chat; once the conversation exists, its id (the same one) comes from the URL.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new id per navigation to /chat
  const freshId = useMemo(() => crypto.randomUUID(), [location.key]);
  const chatId = params.id ?? freshId;
  const budget = layout?.budget;
  return (
    <ChatView
      key={chatId}
      chatId={chatId}
      conversation={data?.conversation ?? null}
      initialMessages={(data?.branch as ChatUIMessage[] | undefined) ?? NO_MESSAGES}
      tree={data?.tree ?? []}
      models={layout?.models ?? []}
      repositories={layout?.repositories ?? NO_REPOSITORIES}
      setup={layout?.setup ?? null}
      budgetExceeded={budget?.exceeded ? budget : null}
    />
  );
}
