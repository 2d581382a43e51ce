// Apps & access: every app connected to my account, what it can do in plain language, the
// conversations it may read, when it was last used and when it expires unless used, and a
// revoke that says honestly what revoking does and does not undo.
import { useCallback, useEffect, useId, useState } from 'react';
import { api, errorMessage, inScopeOrder, type ConnectedApp } from '../api';
import { Powers } from '../components/Powers';
import { formatDate, formatFull, formatRelative, safeHttpUrl } from '../format';
import { useDocumentTitle } from '../hooks';
import { Link } from '../router';
import { LoadError } from '../components/LoadError';

export function AppsPage() {
  useDocumentTitle('Apps & access');
  const [apps, setApps] = useState<ConnectedApp[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(() => {
    api
      .connectedApps()
      .then((page) => {
        setApps(page.items);
        setLoadError(null);
      })
      .catch((e: unknown) => setLoadError(errorMessage(e)));
  }, []);

  useEffect(load, [load]);

  function revoke(app: ConnectedApp) {
    const { clientId, name } = app.app;
    if (!window.confirm(`${name} will immediately lose access. It may keep what it already received.`))
      return;
    setBusy(clientId);
    setNotice(null);
    api
      .revokeApp(clientId)
      .then(() => {
        setNotice({ kind: 'ok', text: `${name} no longer has access to your account.` });
        load();
      })
      .catch((e: unknown) => setNotice({ kind: 'error', text: errorMessage(e) }))
      .finally(() => setBusy(null));
  }

  return (
    <div className="page apps-page">
      <div className="page-intro">
        <h1>Apps &amp; access</h1>
        <p className="muted">
          The apps you connected to Parley, what each one can do, and which conversations it can read. An app
          you do not use for a while loses its access on its own.
        </p>
        <p>
          <Link to="/access-log">What apps did with your data</Link>
        </p>
      </div>

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

      {!apps && !loadError && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}

      {apps && apps.length === 0 && (
        <div className="card-section empty-state">
          <p>No apps are connected to your account.</p>
          <p className="muted small">
            When you connect an app, Parley asks you what it may do, and it shows up here.
          </p>
        </div>
      )}

      {apps && apps.length > 0 && (
        <ul className="app-cards">
          {apps.map((app) => (
            <li key={app.app.clientId}>
              <ConnectedAppCard app={app} busy={busy === app.app.clientId} onRevoke={() => revoke(app)} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ConnectedAppCard({
  app,
  busy,
  onRevoke,
}: {
  app: ConnectedApp;
  busy: boolean;
  onRevoke: () => void;
}) {
  const headingId = useId();
  const { name, developer, clientId } = app.app;
  const homepage = safeHttpUrl(app.app.homepageUrl);
  const privacy = safeHttpUrl(app.app.privacyPolicyUrl);
  const hasThreads = app.scopes.some((s) => s.scope === 'threads.connect') || app.threads.length > 0;
  const active = app.status === 'active';

  return (
    <article className="app-card" aria-labelledby={headingId} data-testid={`connected-app-${clientId}`}>
      <header className="app-card-header">
        <span className="app-mark" aria-hidden="true">
          {name.trim().charAt(0).toUpperCase() || '?'}
        </span>
        <div className="app-card-title">
          <h2 id={headingId}>{name}</h2>
          <p className="muted small">by {developer.displayName}</p>
        </div>
        <span className={`status-tag ${active ? 'active' : 'expired'}`}>{active ? 'Active' : 'Expired'}</span>
      </header>

      <p className="app-dates small">
        <span>
          Connected{' '}
          <time dateTime={app.grantedAt} title={formatFull(app.grantedAt)}>
            {formatDate(app.grantedAt)}
          </time>
        </span>
        {' · '}
        <span>
          {app.lastUsedAt ? (
            <>
              Last used{' '}
              <time dateTime={app.lastUsedAt} title={formatFull(app.lastUsedAt)}>
                {formatRelative(app.lastUsedAt)}
              </time>
            </>
          ) : (
            'Not used yet'
          )}
        </span>
        {app.expiresAt && (
          <>
            {' · '}
            <span>
              {active ? 'Expires' : 'Expired'}{' '}
              <time dateTime={app.expiresAt} title={formatFull(app.expiresAt)}>
                {formatDate(app.expiresAt)}
              </time>
              {active && ' unless used'}
            </span>
          </>
        )}
      </p>

      <section className="app-powers" aria-label={`What ${name} can do`}>
        <h3 className="small-heading">What {name} can do</h3>
        {app.scopes.length === 0 ? (
          <p className="muted small">Nothing beyond knowing that you connected it.</p>
        ) : (
          <ul className="granted-scopes">
            {inScopeOrder(app.scopes).map((scope) => (
              <li key={scope.scope}>
                <span className="granted-title">{scope.title}</span>
                <Powers can={scope.can} cannot={scope.cannot} />
              </li>
            ))}
          </ul>
        )}
      </section>

      {hasThreads && (
        <section className="app-threads" aria-label={`Conversations ${name} can read`}>
          <h3 className="small-heading">Conversations {name} can read</h3>
          {app.threads.length === 0 ? (
            <p className="muted small">None.</p>
          ) : (
            <ul className="thread-refs">
              {app.threads.map((thread) => (
                <li key={thread.id}>
                  <Link to={`/t/${encodeURIComponent(thread.id)}`}>{thread.label}</Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <footer className="app-card-footer">
        {(homepage || privacy) && (
          <p className="app-links small">
            {homepage && (
              <a href={homepage} target="_blank" rel="noopener noreferrer">
                Homepage<span className="visually-hidden"> of {name} (opens in a new tab)</span>
              </a>
            )}
            {privacy && (
              <a href={privacy} target="_blank" rel="noopener noreferrer">
                Privacy policy<span className="visually-hidden"> of {name} (opens in a new tab)</span>
              </a>
            )}
          </p>
        )}
        <button type="button" className="button danger" disabled={busy} onClick={onRevoke}>
          Revoke access
        </button>
      </footer>
    </article>
  );
}
