// The share dialog (DESIGN.md "Partner API"): an app sends the person here with a card; the
// person picks friends on Parley's own page and confirms; Parley sends the card "via" the app.
// The app never sees the friend list.
import { useEffect, useId, useMemo, useState } from 'react';
import { api, errorMessage, type AppPublic, type Card, type Friend } from '../api';
import { MessageCard } from '../components/MessageCard';
import { safeHttpUrl } from '../format';
import { useDocumentTitle } from '../hooks';

const KINDS = new Set(['song', 'show', 'link']);

/** The card from the query string, or null if it is not one (never trust it more than that). */
export function parseCard(raw: string | null): Card | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Record<string, unknown>;
    const text = (key: string) => (typeof value[key] === 'string' ? value[key] : undefined);
    const kind = text('kind');
    const title = text('title');
    const url = safeHttpUrl(text('url'));
    if (!kind || !KINDS.has(kind) || !title || !url) return null;
    const subtitle = text('subtitle');
    const imageUrl = safeHttpUrl(text('imageUrl'));
    return {
      kind: kind as Card['kind'],
      title,
      url,
      ...(subtitle ? { subtitle } : {}),
      ...(imageUrl ? { imageUrl } : {}),
    };
  } catch {
    return null;
  }
}

export function SharePage({ search }: { search: string }) {
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const clientId = params.get('client_id') ?? '';
  const card = useMemo(() => parseCard(params.get('card')), [params]);
  // Where "Back to the app" leads; Parley checks it is one the app registered.
  const redirectUri = params.get('redirect_uri') ?? undefined;
  const state = params.get('state') ?? undefined;
  const [app, setApp] = useState<AppPublic | null>(null);
  const [friends, setFriends] = useState<Friend[] | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string[] | null>(null);
  const [returnTo, setReturnTo] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);
  const noteId = useId();
  useDocumentTitle(app ? `Share via ${app.name}` : 'Share');

  useEffect(() => {
    if (!clientId) return;
    api
      .shareApp(clientId)
      .then(setApp)
      .catch((e: unknown) => setError(errorMessage(e)));
    api
      .friends()
      .then((page) => setFriends(page.items))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [clientId]);

  if (!clientId || !card) {
    return (
      <section className="page narrow">
        <h1>Nothing to share</h1>
        <p>This share link is incomplete. Go back to the app and try again.</p>
      </section>
    );
  }

  function toggle(id: string) {
    setPicked((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function send() {
    if (!card) return;
    setSending(true);
    setError(null);
    api
      .share({
        clientId,
        card,
        friendIds: [...picked],
        ...(text.trim() ? { text } : {}),
        ...(redirectUri ? { redirectUri } : {}),
        ...(state ? { state } : {}),
      })
      .then((result) => {
        setReturnTo(safeHttpUrl(result.returnTo));
        setSentTo(friends?.filter((f) => picked.has(f.user.id)).map((f) => f.user.displayName) ?? []);
      })
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setSending(false));
  }

  const homepage = safeHttpUrl(app?.homepageUrl);

  if (sentTo) {
    return (
      <section className="page narrow">
        <h1>Sent</h1>
        <p role="status">
          Sent to {sentTo.join(', ')}
          {app ? ` via ${app.name}` : ''}.
        </p>
        {(returnTo ?? homepage) && app ? (
          <p>
            <a className="button primary" href={returnTo ?? homepage ?? undefined}>
              Back to {app.name}
            </a>
          </p>
        ) : null}
      </section>
    );
  }

  return (
    <section className="page narrow share">
      <h1>{app ? `Share via ${app.name}` : 'Share'}</h1>
      <p className="muted" id={noteId}>
        {app ? `${app.name} will not see your friend list. ` : ''}Only the friends you pick receive this, from
        you{app ? `, marked "via ${app.name}"` : ''}.
      </p>
      <MessageCard card={card} />
      <fieldset className="share-friends" aria-describedby={noteId}>
        <legend>Send to</legend>
        {friends === null ? <p className="muted">Loading friends…</p> : null}
        {friends?.length === 0 ? <p>You have no friends on Parley yet.</p> : null}
        {friends?.map((f) => (
          <label key={f.user.id} className="pick">
            <input type="checkbox" checked={picked.has(f.user.id)} onChange={() => toggle(f.user.id)} />
            <span>
              {f.user.displayName} <span className="muted">@{f.user.username}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${noteId}-text`}>Add a message (optional)</label>
        <textarea
          id={`${noteId}-text`}
          value={text}
          maxLength={1000}
          rows={2}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className="button primary"
          disabled={picked.size === 0 || isSending}
          onClick={send}
        >
          {isSending ? 'Sending…' : 'Send'}
        </button>
        {homepage && app ? (
          <a className="button" href={homepage}>
            Cancel
          </a>
        ) : null}
      </div>
    </section>
  );
}
