import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, errorMessage, type Friend, type ThreadDetail } from '../api';
import { useLiveEvents } from '../live';
import { Link } from '../router';
import { Avatar } from './Avatar';

type Props = { id: string; onCreated: (thread: ThreadDetail) => void; onCancel: () => void };

/** One friend makes a one-to-one conversation; several make a group, which needs a title. */
export function NewConversation({ id, onCreated, onCancel }: Props) {
  const [friends, setFriends] = useState<Friend[] | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const headingId = useId();

  const load = () => {
    api
      .friends()
      .then((page) => setFriends(page.items))
      .catch((e: unknown) => setError(errorMessage(e)));
  };
  useEffect(load, []);
  useLiveEvents((event) => {
    if (event.type === 'friends.changed') load();
  });

  const isGroup = selected.length > 1;

  function toggle(userId: string, checked: boolean) {
    setSelected((current) => (checked ? [...current, userId] : current.filter((x) => x !== userId)));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (selected.length === 0) {
      setError('Pick at least one friend.');
      return;
    }
    const groupTitle = title.trim();
    if (isGroup && !groupTitle) {
      setError('A group conversation needs a title.');
      return;
    }
    setBusy(true);
    setError(null);
    api
      .createThread({ participants: selected, ...(isGroup ? { title: groupTitle } : {}) })
      .then(onCreated)
      .catch((e: unknown) => {
        setError(errorMessage(e));
        setBusy(false);
      });
  }

  return (
    <form id={id} className="new-conversation" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h2 id={headingId} className="small-heading">
        New conversation
      </h2>
      {friends === null && !error && <p className="muted small">Loading friends…</p>}
      {friends?.length === 0 && (
        <p className="muted small">
          You can start conversations with friends. <Link to="/friends">Find people</Link> first.
        </p>
      )}
      {friends && friends.length > 0 && (
        <fieldset className="friend-picker">
          <legend>Who with?</legend>
          <ul>
            {friends.map(({ user }) => (
              <li key={user.id}>
                <label className="pick">
                  <input
                    type="checkbox"
                    checked={selected.includes(user.id)}
                    onChange={(e) => toggle(user.id, e.target.checked)}
                  />
                  <Avatar user={user} size="sm" />
                  <span>
                    {user.displayName} <span className="muted small">@{user.username}</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      {isGroup && (
        <div className="field">
          <label htmlFor={titleId}>Group title</label>
          <input id={titleId} value={title} maxLength={100} onChange={(e) => setTitle(e.target.value)} />
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="row-actions">
        <button type="submit" className="button primary small" disabled={busy || !friends?.length}>
          {isGroup ? 'Start group' : 'Start conversation'}
        </button>
        <button type="button" className="button subtle small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
