import { createContext, useContext } from 'react';

/** The CSP nonce for this response (server only; browsers hide it from script after load). */
export const NonceContext = createContext<string>('');
export const useNonce = () => useContext(NonceContext);
