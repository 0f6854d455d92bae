/** Lets a chat page open the mobile conversation drawer that the /chat layout owns. */
import { createContext, useContext } from 'react';

export const ChatLayoutContext = createContext<{ openSidebar(): void }>({ openSidebar: () => {} });

export const useChatLayout = () => useContext(ChatLayoutContext);
