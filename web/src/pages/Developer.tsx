// The developer console (docs/API.md "Developer console"): my apps, registering one (its
// secrets are shown once), and an app's page with exactly the powers its tokens can carry,
// its grants, its usage and its webhook deliveries.
import { useCallback, useEffect, useState } from 'react';
import {
  api,
  ApiError,
  errorMessage,
  inScopeOrder,
  type AccessLogItem,
  type AppInput,
  type DeveloperApp,
  type RegisteredApp,
  type ScopeInfo,
  type WebhookDelivery,
} from '../api';
import { AppForm } from '../components/AppForm';
import { Powers, Purpose } from '../components/Powers';
import { CopyButton, SecretBox } from '../components/SecretBox';
import { formatFull, formatRelative, formatShort } from '../format';
import { useDocumentTitle } from '../hooks';
import { Link } from '../router';
import { LoadError } from '../components/LoadError';

/** The scope catalogue, for the scope picker. */
function useCatalogue(): { catalogue: ScopeInfo[] | null; error: string | null; retry: () => void } {
  const [catalogue, setCatalogue] = useState<ScopeInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    setError(null);
    api
      .scopes()
      .then((page) => setCatalogue(page.items))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);
  return { catalogue, error, retry: load };
}

export function DeveloperPage() {
  useDocumentTitle('Developers');
  const [apps, setApps] = useState<DeveloperApp[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [registered, setRegistered] = useState<RegisteredApp | null>(null);
  const [formKey, setFormKey] = useState(0);
  const { catalogue, error: catalogueError, retry } = useCatalogue();

  const load = useCallback(() => {
    api
      .developerApps()
      .then((page) => {
        setApps(page.items);
        setLoadError(null);
      })
      .catch((e: unknown) => setLoadError(errorMessage(e)));
  }, []);

  useEffect(load, [load]);

  async function register(input: AppInput): Promise<void> {
    const app = await api.registerApp(input);
    setRegistered(app);
    setFormKey((k) => k + 1);
    load();
  }

  return (
    <div className="page developer-page">
      <div className="page-intro">
        <h1>Developers</h1>
        <p className="muted">
          Register apps that work with Parley on people’s behalf. Your app gets only the scopes people grant,
          and sees exactly which those are.
        </p>
      </div>

      {registered && (
        <SecretBox
          title={`${registered.name} is registered`}
          items={[
            { label: 'Client ID', value: registered.clientId },
            { label: 'Client secret', value: registered.clientSecret },
            ...(registered.webhookSecret
              ? [{ label: 'Webhook secret', value: registered.webhookSecret }]
              : []),
          ]}
          onDone={() => setRegistered(null)}
        >
          <p>
            <Link to={`/developer/apps/${encodeURIComponent(registered.clientId)}`}>
              Open {registered.name}
            </Link>
          </p>
        </SecretBox>
      )}

      <section className="card-section" aria-labelledby="my-apps-heading">
        <h2 id="my-apps-heading">Your apps</h2>
        {loadError && <LoadError message={loadError} onRetry={load} />}
        {!apps && !loadError && (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
        {apps && apps.length === 0 && <p className="muted">You have not registered an app yet.</p>}
        {apps && apps.length > 0 && (
          <ul className="dev-app-list">
            {apps.map((app) => (
              <li key={app.clientId} className="dev-app-row">
                <div className="dev-app-text">
                  <Link to={`/developer/apps/${encodeURIComponent(app.clientId)}`} className="dev-app-name">
                    {app.name}
                  </Link>
                  <span className="muted small">
                    <code>{app.clientId}</code>
                  </span>
                </div>
                <span className="muted small dev-app-meta">
                  {app.scopes.length === 1 ? '1 scope' : `${app.scopes.length} scopes`} ·{' '}
                  {app.grants.active === 1 ? '1 person connected' : `${app.grants.active} people connected`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card-section" aria-labelledby="register-heading">
        <h2 id="register-heading">Register an app</h2>
        {catalogueError && <LoadError message={catalogueError} onRetry={retry} />}
        {!catalogue && !catalogueError && (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
        {catalogue && (
          <AppForm key={formKey} catalogue={catalogue} submitLabel="Register app" onSubmit={register} />
        )}
      </section>
    </div>
  );
}

type DetailState =
  | { kind: 'loading' }
  | { kind: 'not-found' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; app: DeveloperApp };

type Deliveries =
  { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; items: WebhookDelivery[] };

export function DeveloperAppPage({ clientId }: { clientId: string }) {
  const [state, setState] = useState<DetailState>({ kind: 'loading' });
  const [deliveries, setDeliveries] = useState<Deliveries>({ kind: 'loading' });
  const [entries, setEntries] = useState<AccessLogItem[] | null>(null);
  const [newSecret, setNewSecret] = useState<string | null>(null);
  const [rotating, setRotating] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const { catalogue, error: catalogueError, retry } = useCatalogue();
  useDocumentTitle(state.kind === 'ready' ? state.app.name : 'App');

  const load = useCallback(() => {
    api
      .developerApp(clientId)
      .then((app) => setState({ kind: 'ready', app }))
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) setState({ kind: 'not-found' });
        else setState({ kind: 'error', message: errorMessage(e) });
      });
    api
      .appAccessLog(clientId)
      .then((page) => setEntries(page.items))
      .catch(() => setEntries([]));
    api
      .appDeliveries(clientId)
      .then((page) => setDeliveries({ kind: 'ready', items: page.items }))
      .catch((e: unknown) => setDeliveries({ kind: 'error', message: errorMessage(e) }));
  }, [clientId]);

  useEffect(load, [load]);

  if (state.kind === 'loading') {
    return (
      <div className="page">
        <p className="muted" role="status">
          Loading…
        </p>
      </div>
    );
  }
  if (state.kind === 'not-found') {
    return (
      <div className="page narrow">
        <h1>App not found</h1>
        <p>There is no app of yours with this client ID.</p>
        <p>
          <Link to="/developer">Back to your apps</Link>
        </p>
      </div>
    );
  }
  if (state.kind === 'error') {
    return (
      <div className="page narrow">
        <LoadError message={state.message} onRetry={load} />
      </div>
    );
  }

  const { app } = state;

  function rotate() {
    if (!window.confirm(`Rotate the client secret of ${app.name}? The old secret stops working at once.`))
      return;
    setRotating(true);
    setNotice(null);
    api
      .rotateAppSecret(app.clientId)
      .then(({ clientSecret }) => setNewSecret(clientSecret))
      .catch((e: unknown) => setNotice({ kind: 'error', text: errorMessage(e) }))
      .finally(() => setRotating(false));
  }

  async function save(input: AppInput): Promise<void> {
    const before = app.consentVersion;
    const updated = await api.updateApp(app.clientId, input);
    setState({ kind: 'ready', app: updated });
    setFormKey((k) => k + 1);
    setNotice({
      kind: 'ok',
      text:
        updated.consentVersion > before
          ? `Saved. People who connected ${updated.name} will be asked to consent again (consent version ${updated.consentVersion}).`
          : 'Saved.',
    });
  }

  return (
    <div className="page developer-app-page">
      <p>
        <Link to="/developer">
          <span aria-hidden="true">←</span> Your apps
        </Link>
      </p>
      <div className="page-intro">
        <h1>{app.name}</h1>
        {app.description && <p className="muted">{app.description}</p>}
      </div>

      {newSecret && (
        <SecretBox
          title="New client secret"
          items={[{ label: 'Client secret', value: newSecret }]}
          onDone={() => setNewSecret(null)}
        >
          <p className="small">The old secret no longer works.</p>
        </SecretBox>
      )}

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

      <section className="card-section" aria-labelledby="credentials-heading">
        <h2 id="credentials-heading">Credentials</h2>
        <dl className="facts">
          <div>
            <dt>Client ID</dt>
            <dd>
              <code data-testid="client-id">{app.clientId}</code>{' '}
              <CopyButton label="Client ID" value={app.clientId} />
            </dd>
          </div>
          <div>
            <dt>Client secret</dt>
            <dd>
              <span className="muted">Shown only when created or rotated.</span>{' '}
              <button type="button" className="button small danger" onClick={rotate} disabled={rotating}>
                Rotate secret
              </button>
            </dd>
          </div>
          <div>
            <dt>Redirect URIs</dt>
            <dd>
              <ul className="plain-list">
                {app.redirectUris.map((uri) => (
                  <li key={uri}>
                    <code>{uri}</code>
                  </li>
                ))}
              </ul>
            </dd>
          </div>
          <div>
            <dt>Webhook URL</dt>
            <dd>{app.webhookUrl ? <code>{app.webhookUrl}</code> : <span className="muted">None</span>}</dd>
            <dt>Webhook events</dt>
            <dd>
              {app.webhookEvents.length > 0 ? (
                app.webhookEvents.map((type) => <code key={type}>{type} </code>)
              ) : (
                <span className="muted">None</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Consent version</dt>
            <dd>{app.consentVersion}</dd>
          </div>
          <div>
            <dt>Grants</dt>
            <dd>
              <span className="grant-counts">
                <span>
                  <strong>{app.grants.active}</strong> active
                </span>
                <span>
                  <strong>{app.grants.expired}</strong> expired
                </span>
                <span>
                  <strong>{app.grants.revoked}</strong> revoked
                </span>
              </span>
            </dd>
          </div>
        </dl>
      </section>

      <section className="card-section" aria-labelledby="powers-heading">
        <h2 id="powers-heading">What your app can do</h2>
        <p className="muted small">
          The most your app’s tokens can carry: each person may grant less, and your app sees exactly what
          they granted.
        </p>
        {app.scopes.length === 0 ? (
          <p className="muted">No scopes: your app can only learn that a person said yes.</p>
        ) : (
          <ul className="granted-scopes">
            {inScopeOrder(app.scopes).map((scope) => (
              <li key={scope.scope}>
                <span className="granted-title">
                  <code>{scope.scope}</code> {scope.title}{' '}
                  <span className={scope.required ? 'tag' : 'tag optional'}>
                    {scope.required ? 'Required' : 'Optional'}
                  </span>
                </span>
                <Purpose purpose={scope.purpose} appName={app.name} />
                <Powers can={scope.can} cannot={scope.cannot} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card-section" aria-labelledby="usage-heading">
        <h2 id="usage-heading">Usage</h2>
        {app.usage.length === 0 ? (
          <p className="muted">Your app has not used the partner API yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data-table" aria-labelledby="usage-heading">
              <thead>
                <tr>
                  <th scope="col">Action</th>
                  <th scope="col" className="num">
                    Count
                  </th>
                  <th scope="col">Last used</th>
                </tr>
              </thead>
              <tbody>
                {app.usage.map((row) => (
                  <tr key={row.action}>
                    <td>
                      <code>{row.action}</code>
                    </td>
                    <td className="num">{row.count}</td>
                    <td>
                      <time dateTime={row.lastUsedAt} title={formatFull(row.lastUsedAt)}>
                        {formatRelative(row.lastUsedAt)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card-section" aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">Webhook deliveries</h2>
        {deliveries.kind === 'loading' && (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
        {deliveries.kind === 'error' && (
          <p className="form-error" role="alert">
            {deliveries.message}
          </p>
        )}
        {deliveries.kind === 'ready' &&
          (deliveries.items.length === 0 ? (
            <p className="muted">
              {app.webhookUrl ? 'No webhook deliveries yet.' : 'Set a webhook URL to receive events.'}
            </p>
          ) : (
            <div className="table-wrap">
              <table className="data-table" aria-labelledby="deliveries-heading">
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Attempts
                    </th>
                    <th scope="col" className="num">
                      Last response
                    </th>
                    <th scope="col">Created</th>
                    <th scope="col">Delivered</th>
                  </tr>
                </thead>
                <tbody>
                  {deliveries.items.map((d) => (
                    <tr key={d.id}>
                      <td>
                        <code>{d.event}</code>
                      </td>
                      <td>
                        <span className={`status-tag ${d.status}`}>{d.status}</span>
                      </td>
                      <td className="num">{d.attempts}</td>
                      <td className="num">{d.lastStatusCode ?? '—'}</td>
                      <td>
                        <time dateTime={d.createdAt} title={formatFull(d.createdAt)}>
                          {formatShort(d.createdAt)}
                        </time>
                      </td>
                      <td>
                        {d.deliveredAt ? (
                          <time dateTime={d.deliveredAt} title={formatFull(d.deliveredAt)}>
                            {formatShort(d.deliveredAt)}
                          </time>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
      </section>

      <section className="card-section" aria-labelledby="app-log-heading">
        <h2 id="app-log-heading">Access log</h2>
        <p className="muted">
          Every access your app made to people’s data, as recorded in Parley’s transparency log (newest
          first). The people concerned see the same entries and can verify them.
        </p>
        {entries === null ? (
          <p className="muted" role="status">
            Loading…
          </p>
        ) : entries.length === 0 ? (
          <p className="muted">No accesses recorded yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data-table" aria-labelledby="app-log-heading">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Entry
                  </th>
                  <th scope="col">Action</th>
                  <th scope="col" className="num">
                    Conversations
                  </th>
                  <th scope="col" className="num">
                    Messages
                  </th>
                  <th scope="col" className="num">
                    People concerned
                  </th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((item) => (
                  <tr key={item.index}>
                    <td className="num">{item.index}</td>
                    <td>
                      <code>{item.entry.action}</code>
                    </td>
                    <td className="num">{item.entry.threads.length}</td>
                    <td className="num">{item.entry.messages.length}</td>
                    <td className="num">{item.entry.subjects.length}</td>
                    <td>
                      <time dateTime={item.entry.time} title={formatFull(item.entry.time)}>
                        {formatShort(item.entry.time)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card-section" aria-labelledby="edit-heading">
        <h2 id="edit-heading">Edit app</h2>
        {catalogueError && <LoadError message={catalogueError} onRetry={retry} />}
        {!catalogue && !catalogueError && (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
        {catalogue && (
          <AppForm
            key={formKey}
            catalogue={catalogue}
            initial={app}
            submitLabel="Save changes"
            onSubmit={save}
          />
        )}
      </section>
    </div>
  );
}
