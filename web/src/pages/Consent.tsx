// The consent screen an app's authorization request leads to (docs/API.md "Consent").
// Specific and unbundled: each scope is its own choice, optional ones start unticked, each
// shows the app's reason in its own words beside Parley's fixed "can" / "cannot" lines, and
// threads.connect lists the person's conversations to pick from, none ticked.
import { CredentialFields } from '../components/CredentialFields';
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import {
  api,
  ApiError,
  errorMessage,
  type AppScope,
  type ConsentDetails,
  type ScopeName,
  type ThreadRef,
  type User,
} from '../api';
import { Icon } from '../components/Icon';
import { Powers, Purpose } from '../components/Powers';
import { safeHttpUrl } from '../format';
import { useDocumentTitle } from '../hooks';
import { Link } from '../router';

type Props = {
  uid: string;
  /** The person logged in or out here: the rest of the app should know. */
  onSession: (user: User | null) => void;
};

type State =
  | { kind: 'loading' }
  | { kind: 'expired' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; details: ConsentDetails }
  | { kind: 'continuing'; appName: string };

const EXPIRED = 'This request has expired. Go back to the app and try again.';

function isExpired(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.code === 'interaction_not_found');
}

export function ConsentPage({ uid, onSession }: Props) {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const load = useCallback(
    (signal?: AbortSignal) => {
      api
        .consentDetails(uid, signal)
        .then((details) => {
          if (!details.alreadyConnected) return setState({ kind: 'ready', details });
          // Already connected with everything asked for: nothing to decide, only to sign in.
          setState({ kind: 'continuing', appName: details.app.name });
          return api.consentContinue(uid).then(({ redirectTo }) => window.location.assign(redirectTo));
        })
        .catch((error: unknown) => {
          if (signal?.aborted) return;
          if (isExpired(error)) setState({ kind: 'expired' });
          else setState({ kind: 'error', message: errorMessage(error) });
        });
    },
    [uid],
  );

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const appName =
    state.kind === 'ready' ? state.details.app.name : state.kind === 'continuing' ? state.appName : '';
  useDocumentTitle(appName ? `Connect ${appName}` : 'Connect an app');

  return (
    <div className="consent-shell">
      <header className="consent-brand">
        <span className="logo">
          <span className="logo-mark">
            <Icon name="logo" />
          </span>
          <span>Parley</span>
        </span>
      </header>
      <main id="main" className="consent-main">
        {state.kind === 'loading' && (
          <div className="consent-card" role="status">
            <p className="muted">Loading…</p>
          </div>
        )}
        {state.kind === 'continuing' && (
          <div className="consent-card" role="status">
            <h1>Signing you in to {state.appName}</h1>
            <p className="muted">
              You already connected {state.appName}; nothing changes. Manage it under Apps &amp; access.
            </p>
          </div>
        )}
        {state.kind === 'expired' && (
          <div className="consent-card">
            <h1>Request expired</h1>
            <p role="alert">{EXPIRED}</p>
          </div>
        )}
        {state.kind === 'error' && (
          <div className="consent-card">
            <h1>Something went wrong</h1>
            <p className="form-error" role="alert">
              {state.message}
            </p>
            <button
              type="button"
              className="button"
              onClick={() => {
                setState({ kind: 'loading' });
                load();
              }}
            >
              Try again
            </button>
          </div>
        )}
        {state.kind === 'ready' && (
          <ConsentCard
            // A new person (logged in or out here) starts from a clean, unticked form.
            key={state.details.person?.id ?? 'anonymous'}
            details={state.details}
            onExpired={() => setState({ kind: 'expired' })}
            onSession={(user) => {
              onSession(user);
              load();
            }}
          />
        )}
      </main>
    </div>
  );
}

function ConsentCard({
  details,
  onExpired,
  onSession,
}: {
  details: ConsentDetails;
  onExpired: () => void;
  onSession: (user: User | null) => void;
}) {
  const { app, person } = details;
  return (
    <div className="consent-card">
      <AppHeader details={details} />
      {person ? (
        <ConsentForm details={details} person={person} onExpired={onExpired} onSession={onSession} />
      ) : (
        <ConsentLogin uid={details.uid} appName={app.name} onSession={onSession} onExpired={onExpired} />
      )}
    </div>
  );
}

function AppHeader({ details }: { details: ConsentDetails }) {
  const { app } = details;
  const homepage = safeHttpUrl(app.homepageUrl);
  const privacy = safeHttpUrl(app.privacyPolicyUrl);
  return (
    <div className="consent-app">
      <span className="app-mark" aria-hidden="true">
        {app.name.trim().charAt(0).toUpperCase() || '?'}
      </span>
      <div className="consent-app-text">
        <h1>{app.name}</h1>
        <p className="muted">by {app.developer.displayName}</p>
        {app.description && <p className="consent-description">{app.description}</p>}
        {(homepage || privacy) && (
          <p className="app-links small">
            {homepage && (
              <a href={homepage} target="_blank" rel="noopener noreferrer">
                Homepage
                <Icon name="external" className="external-icon" />
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            )}
            {privacy && (
              <a href={privacy} target="_blank" rel="noopener noreferrer">
                Privacy policy
                <Icon name="external" className="external-icon" />
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            )}
          </p>
        )}
      </div>
    </div>
  );
}

function ConsentForm({
  details,
  person,
  onExpired,
  onSession,
}: {
  details: ConsentDetails;
  person: User;
  onExpired: () => void;
  onSession: (user: User | null) => void;
}) {
  const { uid, app, scopes, threads } = details;
  // Nothing is pre-ticked: optional scopes and conversations start unchosen.
  const [chosen, setChosen] = useState<ReadonlySet<ScopeName>>(() => new Set());
  const [threadIds, setThreadIds] = useState<ReadonlySet<string>>(() => new Set());
  const [busy, setBusy] = useState<'allow' | 'cancel' | 'logout' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const headingId = useId();

  const isTicked = (scope: AppScope) => scope.required || chosen.has(scope.scope);
  const connectScope = scopes.find((s) => s.scope === 'threads.connect');
  const connectTicked = connectScope ? isTicked(connectScope) : false;

  function toggle(scope: ScopeName, on: boolean) {
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(scope);
      else next.delete(scope);
      return next;
    });
  }

  function toggleThread(id: string, on: boolean) {
    setThreadIds((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function decide(kind: 'allow' | 'cancel') {
    if (busy) return;
    setBusy(kind);
    setError(null);
    const call =
      kind === 'allow'
        ? api.consentConfirm(uid, {
            scopes: scopes.filter(isTicked).map((s) => s.scope),
            threadIds: connectTicked ? threads.filter((t) => threadIds.has(t.id)).map((t) => t.id) : [],
          })
        : api.consentDeny(uid);
    call
      .then(({ redirectTo }) => {
        // Stay busy: the browser is leaving for the app.
        window.location.assign(redirectTo);
      })
      .catch((e: unknown) => {
        setBusy(null);
        if (isExpired(e)) onExpired();
        else setError(errorMessage(e));
      });
  }

  function logOut() {
    setBusy('logout');
    setError(null);
    api
      .logout()
      .then(() => onSession(null))
      .catch((e: unknown) => {
        setBusy(null);
        setError(errorMessage(e));
      });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    decide('allow');
  }

  return (
    <form className="consent-form" onSubmit={submit} aria-describedby={error ? errorId : undefined}>
      <p className="signed-in-as small">
        <span>
          Signed in as <strong>{person.displayName}</strong> (@{person.username}).
        </span>{' '}
        <span>
          Not you?{' '}
          <button type="button" className="link-button" onClick={logOut} disabled={busy !== null}>
            Log out
          </button>
        </span>
      </p>

      <h2 id={headingId} className="wants-to">
        {app.name} wants to:
      </h2>
      {scopes.length === 0 ? (
        <p className="muted">Nothing beyond knowing that you said yes.</p>
      ) : (
        <ul className="scope-list" aria-labelledby={headingId}>
          {scopes.map((scope) => (
            <ScopeRow
              key={scope.scope}
              scope={scope}
              appName={app.name}
              ticked={isTicked(scope)}
              onToggle={(on) => toggle(scope.scope, on)}
            >
              {scope.scope === 'threads.connect' && (
                <ThreadPicker
                  appName={app.name}
                  threads={threads}
                  enabled={connectTicked}
                  selected={threadIds}
                  onToggle={toggleThread}
                />
              )}
            </ScopeRow>
          ))}
        </ul>
      )}

      <p className="consent-footnote small">
        You can change this any time in Apps &amp; access.
        {details.redirectOrigin && (
          <>
            {' '}
            Either way, you go back to <span className="origin">{details.redirectOrigin}</span>.
          </>
        )}
      </p>

      {error && (
        <p id={errorId} className="form-error" role="alert">
          {error}
        </p>
      )}

      <div className="consent-actions">
        <button type="submit" className="button primary" disabled={busy !== null}>
          {busy === 'allow' ? 'Allowing…' : 'Allow'}
        </button>
        <button type="button" className="button" disabled={busy !== null} onClick={() => decide('cancel')}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ScopeRow({
  scope,
  appName,
  ticked,
  onToggle,
  children,
}: {
  scope: AppScope;
  appName: string;
  ticked: boolean;
  onToggle: (on: boolean) => void;
  children?: ReactNode;
}) {
  const inputId = useId();
  const purposeId = useId();
  const powersId = useId();
  const requiredId = useId();
  const describedBy = [scope.required ? requiredId : null, scope.purpose ? purposeId : null, powersId]
    .filter(Boolean)
    .join(' ');
  return (
    <li className={`scope-row${ticked ? ' ticked' : ''}`} data-scope={scope.scope}>
      <div className="scope-head">
        <input
          id={inputId}
          type="checkbox"
          checked={ticked}
          disabled={scope.required}
          aria-describedby={describedBy}
          onChange={(e) => onToggle(e.target.checked)}
        />
        <label htmlFor={inputId} className="scope-title">
          {scope.title}
        </label>
        {scope.required && (
          <span className="tag" id={requiredId}>
            Required
          </span>
        )}
      </div>
      <div className="scope-body">
        <Purpose id={purposeId} purpose={scope.purpose} appName={appName} />
        <Powers id={powersId} can={scope.can} cannot={scope.cannot} />
        {children}
      </div>
    </li>
  );
}

function ThreadPicker({
  appName,
  threads,
  enabled,
  selected,
  onToggle,
}: {
  appName: string;
  threads: ThreadRef[];
  enabled: boolean;
  selected: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
}) {
  const noteId = useId();
  return (
    <fieldset className="thread-choice" disabled={!enabled} aria-describedby={noteId}>
      <legend>Conversations {appName} may join</legend>
      {threads.length === 0 ? (
        <p className="muted small">You have no conversations yet.</p>
      ) : (
        <ul>
          {threads.map((thread) => (
            <li key={thread.id}>
              <label className="pick">
                <input
                  type="checkbox"
                  checked={enabled && selected.has(thread.id)}
                  onChange={(e) => onToggle(thread.id, e.target.checked)}
                />
                <span>{thread.label}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <p id={noteId} className="hint">
        Everyone in these conversations will see {appName} there and can remove it.
      </p>
    </fieldset>
  );
}

function ConsentLogin({
  uid,
  appName,
  onSession,
  onExpired,
}: {
  uid: string;
  appName: string;
  onSession: (user: User) => void;
  onExpired: () => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { username: useId(), password: useId(), error: useId(), heading: useId() };
  const here = `/consent/${encodeURIComponent(uid)}`;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setError('Enter your username and password.');
      return;
    }
    setBusy(true);
    setError(null);
    api
      .login({ username: username.trim(), password })
      .then(onSession)
      .catch((e: unknown) => {
        setError(errorMessage(e));
        setBusy(false);
      });
  }

  function cancel() {
    if (busy) return;
    setBusy(true);
    setError(null);
    api
      .consentDeny(uid)
      .then(({ redirectTo }) => window.location.assign(redirectTo))
      .catch((e: unknown) => {
        setBusy(false);
        if (isExpired(e)) onExpired();
        else setError(errorMessage(e));
      });
  }

  return (
    <section className="consent-login" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>Log in to Parley to continue to {appName}</h2>
      <p className="muted small">Nothing is shared until you choose what {appName} may do.</p>
      <form onSubmit={submit} noValidate aria-describedby={error ? ids.error : undefined}>
        <CredentialFields
          username={username}
          password={password}
          onUsername={setUsername}
          onPassword={setPassword}
        />
        {error && (
          <p id={ids.error} className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="consent-actions">
          <button type="submit" className="button primary" disabled={busy}>
            Log in
          </button>
          <button type="button" className="button" disabled={busy} onClick={cancel}>
            Cancel
          </button>
        </div>
      </form>
      <p className="auth-switch small">
        New to Parley? <Link to={`/signup?next=${encodeURIComponent(here)}`}>Create an account</Link>
      </p>
    </section>
  );
}
