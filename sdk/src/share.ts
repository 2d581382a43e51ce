// The share dialog (DESIGN.md "Partner API"): a Parley page where the person picks friends and
// confirms, and Parley sends the card "via" the app. The app never sees the friend list and needs
// no scope or token for it: the friend picker pattern, instead of handing out friends.
import type { Card } from './types.js';

/** The options of {@link shareUrl}. */
export interface ShareUrlOptions {
  /** The Parley platform's public URL. */
  parleyUrl: string;
  /** The app's client id: the dialog shows the app and sends "via" it. */
  clientId: string;
  /** What to share. */
  card: Card;
  /**
   * Where "Back to the app" goes after sending: one of the app's registered redirect URIs. Parley
   * adds `state`, `threads=<id>,<id>` and `messages=<id>,<id>` (the conversations and messages
   * the card went to).
   */
  redirectUri?: string;
  /** An opaque value handed back on the redirect, to match it with this share. */
  state?: string;
}

/**
 * The URL of Parley's share dialog for `card`: `/share?client_id=&card=<JSON>&redirect_uri=&state=`.
 * Open it in the person's browser (a link, a new tab or a popup).
 *
 * @example
 * const url = shareUrl({ parleyUrl, clientId, card: { kind: 'song', title: 'So What', url: songUrl } });
 */
export function shareUrl(options: ShareUrlOptions): URL {
  const url = new URL(`${options.parleyUrl.replace(/\/+$/, '')}/share`);
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('card', JSON.stringify(options.card));
  if (options.redirectUri !== undefined) url.searchParams.set('redirect_uri', options.redirectUri);
  if (options.state !== undefined) url.searchParams.set('state', options.state);
  return url;
}

/** What the share dialog's "Back to the app" link says (see {@link parseShareReturn}). */
export interface ShareReturn {
  /** The `state` given to {@link shareUrl}, if any. */
  state?: string;
  /** The conversations the card went to: with messages.send the app may post there. */
  threadIds: string[];
  /** The messages sent, one per friend: with messages.send the app may delete them. */
  messageIds: string[];
}

/**
 * Reads the share dialog's return to the redirect URI: `state`, `threads=<id>,<id>` and
 * `messages=<id>,<id>`. Compare `state` with the one you sent before trusting the rest.
 */
export function parseShareReturn(url: string | URL): ShareReturn {
  const params = new URL(url).searchParams;
  const list = (name: string) => (params.get(name) ?? '').split(',').filter((id) => id !== '');
  const state = params.get('state');
  return { ...(state === null ? {} : { state }), threadIds: list('threads'), messageIds: list('messages') };
}
