// Rows to the JSON the API returns (docs/API.md). Nothing here decides access.
import type { MessageRow } from '../storage/repositories/message.repository.js';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
}

export type CardKind = 'song' | 'show' | 'link';

export interface Card {
  kind: CardKind;
  title: string;
  url: string;
  subtitle?: string;
  imageUrl?: string;
}

export interface MessageView {
  id: string;
  threadId: string;
  author: UserView;
  text: string | null;
  card: Card | null;
  via: { clientId: string; name: string } | null;
  createdAt: string;
}

export interface ThreadView {
  id: string;
  kind: 'direct' | 'group';
  title: string | null;
  participants: UserView[];
  lastMessage: MessageView | null;
  unreadCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ThreadDetailView extends ThreadView {
  readMarkers: { userId: string; messageId: string }[];
  apps: { clientId: string; name: string; connectedBy: UserView }[];
}

export function userView(row: { id: string; username: string; display_name: string }): UserView {
  return { id: row.id, username: row.username, displayName: row.display_name };
}

export function messageView(row: MessageRow): MessageView {
  return {
    id: row.id,
    threadId: row.thread_id,
    author: { id: row.author_id, username: row.author_username, displayName: row.author_display_name },
    text: row.text,
    card: row.card === null ? null : (JSON.parse(row.card) as Card),
    via: row.via_client_id === null ? null : { clientId: row.via_client_id, name: row.via_name ?? 'an app' },
    createdAt: row.created_at,
  };
}
