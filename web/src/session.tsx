import { createContext, useContext } from 'react';
import type { Me } from './api';

export type Session = {
  me: Me;
  logout: () => void;
};

export const SessionContext = createContext<Session | null>(null);

/** The signed-in person; only used below the part of the tree that requires a session. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
