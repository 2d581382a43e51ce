import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { api, errorMessage, type Friend, type FriendRequest, type User } from '../api';
import { Avatar } from '../components/Avatar';
import { formatShort } from '../format';
import { useDocumentTitle } from '../hooks';
import { useLiveEvents } from '../live';
import { navigate } from '../router';
import { LoadError } from '../components/LoadError';

type Data = { friends: Friend[]; incoming: FriendRequest[]; outgoing: FriendRequest[] };

export function FriendsPage() {
  useDocumentTitle('Friends');
  const [data, setData] = useState<Data | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(() => {
    Promise.all([api.friends(), api.friendRequests()])
      .then(([friends, requests]) => {
        setData({ friends: friends.items, incoming: requests.incoming, outgoing: requests.outgoing });
        setLoadError(null);
      })
      .catch((e: unknown) => setLoadError(errorMessage(e)));
  }, []);

  useEffect(load, [load]);

  useLiveEvents((event) => {
    if (event.type === 'friends.changed' || event.type === 'hello') load();
  });

  /** Runs one row action; `key` marks the row busy so its buttons cannot be pressed twice. */
  function act(key: string, action: () => Promise<unknown>, success?: string) {
    setBusy(key);
    setNotice(null);
    action()
      .then(() => {
        if (success) setNotice({ kind: 'ok', text: success });
        load();
      })
      .catch((e: unknown) => setNotice({ kind: 'error', text: errorMessage(e) }))
      .finally(() => setBusy(null));
  }

  function openConversation(friend: User) {
    setBusy(`friend-${friend.id}`);
    setNotice(null);
    api
      .createThread({ participants: [friend.id] })
      .then((thread) => navigate(`/t/${encodeURIComponent(thread.id)}`))
      .catch((e: unknown) => {
        setNotice({ kind: 'error', text: errorMessage(e) });
        setBusy(null);
      });
  }

  return (
    <div className="page friends-page">
      <h1>Friends</h1>

      <AddFriend
        onSent={(request) => {
          setNotice({
            kind: 'ok',
            text:
              request.status === 'accepted'
                ? `You and ${request.from.displayName} are now friends.`
                : `Friend request sent to ${request.to.displayName}.`,
          });
          load();
        }}
      />

      <div className="notice-slot" aria-live="polite">
        {notice && (
          <p
            className={notice.kind === 'error' ? 'form-error' : 'form-ok'}
            role={notice.kind === 'error' ? 'alert' : undefined}
          >
            {notice.text}
          </p>
        )}
      </div>

      {loadError && <LoadError message={loadError} onRetry={load} />}

      {!data && !loadError && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}

      {data && (
        <>
          <section aria-labelledby="incoming-heading" className="card-section">
            <h2 id="incoming-heading">Requests for you</h2>
            {data.incoming.length === 0 ? (
              <p className="muted">No one is waiting for an answer.</p>
            ) : (
              <ul className="people-list">
                {data.incoming.map((request) => (
                  <li
                    key={request.id}
                    className="person-row"
                    data-testid={`request-${request.from.username}`}
                  >
                    <PersonInfo user={request.from} meta={`asked ${formatShort(request.createdAt)}`} />
                    <div className="row-actions">
                      <button
                        type="button"
                        className="button primary"
                        disabled={busy === request.id}
                        onClick={() =>
                          act(
                            request.id,
                            () => api.acceptFriendRequest(request.id),
                            `You and ${request.from.displayName} are now friends.`,
                          )
                        }
                      >
                        Accept
                      </button>
                      <button
                        type="button"
                        className="button"
                        disabled={busy === request.id}
                        onClick={() => act(request.id, () => api.declineFriendRequest(request.id))}
                      >
                        Decline
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>

          {data.outgoing.length > 0 && (
            <section aria-labelledby="outgoing-heading" className="card-section">
              <h2 id="outgoing-heading">Requests you sent</h2>
              <ul className="people-list">
                {data.outgoing.map((request) => (
                  <li key={request.id} className="person-row" data-testid={`request-${request.to.username}`}>
                    <PersonInfo user={request.to} meta={`waiting since ${formatShort(request.createdAt)}`} />
                    <div className="row-actions">
                      <button
                        type="button"
                        className="button"
                        disabled={busy === request.id}
                        onClick={() => act(request.id, () => api.cancelFriendRequest(request.id))}
                      >
                        Cancel
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          )}

          <section aria-labelledby="friend-list-heading" className="card-section">
            <h2 id="friend-list-heading">Friend list</h2>
            {data.friends.length === 0 ? (
              <p className="muted">No friends yet. Add someone by their username above.</p>
            ) : (
              <ul className="people-list">
                {data.friends.map(({ user, since }) => (
                  <li key={user.id} className="person-row" data-testid={`friend-${user.username}`}>
                    <PersonInfo user={user} meta={`since ${formatShort(since)}`} />
                    <div className="row-actions">
                      <button
                        type="button"
                        className="button primary"
                        disabled={busy === `friend-${user.id}`}
                        onClick={() => openConversation(user)}
                      >
                        Message
                      </button>
                      <button
                        type="button"
                        className="button danger"
                        disabled={busy === `friend-${user.id}`}
                        onClick={() => {
                          if (!window.confirm(`Remove ${user.displayName} from your friends?`)) return;
                          act(`friend-${user.id}`, () => api.removeFriend(user.id));
                        }}
                      >
                        Remove
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}

function PersonInfo({ user, meta }: { user: User; meta: string }) {
  return (
    <div className="person">
      <Avatar user={user} />
      <div className="person-text">
        <span className="person-name">{user.displayName}</span>
        <span className="muted small">
          @{user.username} · {meta}
        </span>
      </div>
    </div>
  );
}

function AddFriend({ onSent }: { onSent: (request: FriendRequest) => void }) {
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const errorId = useId();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = username.trim().replace(/^@/, '');
    if (!name) {
      setError('Enter the username of the person you want to add.');
      return;
    }
    setBusy(true);
    setError(null);
    api
      .sendFriendRequest(name)
      .then((request) => {
        setUsername('');
        onSent(request);
      })
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  }

  return (
    <section aria-labelledby="add-heading" className="card-section">
      <h2 id="add-heading">Add a friend</h2>
      <form className="inline-form" onSubmit={submit} noValidate>
        <div className="field grow">
          <label htmlFor={inputId}>Friend's username</label>
          <input
            id={inputId}
            autoCapitalize="none"
            autoComplete="off"
            spellCheck={false}
            value={username}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <button type="submit" className="button primary" disabled={busy}>
          Send request
        </button>
      </form>
      {error && (
        <p id={errorId} className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
