/**
 * /chat layout: the conversation sidebar (a column on wide screens, a drawer on small ones) with the
 * usage meter, and the conversation in the outlet. Needs `chat:use`.
 */
import * as DrawerPrimitive from '@radix-ui/react-dialog';
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet, useLoaderData, useLocation } from '@remix-run/react';
import { useEffect, useMemo, useState } from 'react';
import { ChatLayoutContext } from '~/components/chat/chat-layout-context';
import { ConversationList } from '~/components/chat/conversation-list';
import { CloseIcon } from '~/components/chat/icons';
import { UsageMeter } from '~/components/chat/usage-meter';
import { requireCapability } from '~/lib/auth.server';
import { asResponse, chatSidebarData } from '~/lib/chat.server';
import { pageTitle } from '~/lib/root-data';
import markdownStyles from '~/styles/markdown.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: markdownStyles }];

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Chat');

/** One screen: the page never scrolls, the message list and the sidebar do. */
export const handle = { fullHeight: true };

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireCapability(context, request, 'chat:use');
  return chatSidebarData(context, new URL(request.url)).catch(asResponse);
}

export default function ChatLayout() {
  const { conversations, budget } = useLoaderData<typeof loader>();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  // Navigating (e.g. picking a conversation) closes the drawer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation only
  useEffect(() => setDrawerOpen(false), [location.pathname]);
  const layout = useMemo(() => ({ openSidebar: () => setDrawerOpen(true) }), []);
  const meter = <UsageMeter status={budget} />;

  return (
    <ChatLayoutContext.Provider value={layout}>
      <div className="flex h-full overflow-hidden">
        <aside
          aria-label="Conversations"
          className="hidden w-72 shrink-0 flex-col border-r border-border bg-surface md:flex"
        >
          <ConversationList items={conversations} footer={meter} />
        </aside>
        <DrawerPrimitive.Root open={drawerOpen} onOpenChange={setDrawerOpen}>
          <DrawerPrimitive.Portal>
            <DrawerPrimitive.Overlay className="fixed inset-0 z-40 bg-overlay animate-fade-in md:hidden" />
            <DrawerPrimitive.Content
              aria-describedby={undefined}
              className="fixed inset-y-0 left-0 z-50 flex w-[85vw] max-w-xs flex-col bg-surface shadow-2xl animate-fade-in md:hidden"
            >
              <div className="flex h-14 items-center justify-between border-b border-border px-3">
                <DrawerPrimitive.Title className="text-sm font-semibold">Conversations</DrawerPrimitive.Title>
                <DrawerPrimitive.Close
                  className="inline-flex size-9 items-center justify-center rounded-md text-fg-muted hover:bg-surface-muted"
                  aria-label="Close conversations"
                >
                  <CloseIcon className="size-5" />
                </DrawerPrimitive.Close>
              </div>
              <div className="min-h-0 flex-1">
                <ConversationList
                  items={conversations}
                  footer={meter}
                  onNavigate={() => setDrawerOpen(false)}
                />
              </div>
            </DrawerPrimitive.Content>
          </DrawerPrimitive.Portal>
        </DrawerPrimitive.Root>
        <Outlet />
      </div>
    </ChatLayoutContext.Provider>
  );
}
