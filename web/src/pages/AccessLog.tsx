// "What apps did with your data" (DESIGN.md "Transparency log", notes/consent-and-access-ux.md
// "What was accessed"): every logged partner access touching me, as a timeline per app with
// counts per kind of data, latest first — also accesses through grants other people gave. The
// Verify button checks, in this browser, the signed checkpoint, that the log only grew since the
// last check, and each shown entry's inclusion proof.
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { api, errorMessage, type AccessEntry, type AccessLogItem } from '../api';
import { formatFull, formatRelative, listNames, threadLabel } from '../format';
import { useDocumentTitle } from '../hooks';
import { Link, navigate, useSearch } from '../router';
import { useSession } from '../session';
import { verifyAccessLog, type EntryCheck, type VerifyReport } from '../verify';
import { LoadError } from '../components/LoadError';

const PAGE_SIZE = 50;

/** Names looked up for what entries mention; null: looked up, not known to me. */
type Names = {
  apps: Record<string, string | null>;
  threads: Record<string, string | null>;
  people: Record<string, string>;
};

type Lookup = {
  meId: string;
  app: (clientId: string) => string;
  person: (userId: string) => string;
  thread: (threadId: string) => string;
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "in ‘Weekend plans’", "in ‘A’ and ‘B’", "in 3 conversations", or "" for none. */
function where(threads: string[], lookup: Lookup): string {
  if (threads.length === 0) return '';
  if (threads.length > 2) return ` in ${plural(threads.length, 'conversation')}`;
  return ` in ${listNames(threads.map((id) => lookup.thread(id)))}`;
}

/** One plain sentence for an entry, from the point of view of the person reading their log. */
function describe(entry: AccessEntry, lookup: Lookup): string {
  const mine = entry.actor === lookup.meId;
  const actor = lookup.person(entry.actor);
  const inThreads = where(entry.threads, lookup);
  const messages = entry.messages.length;
  switch (entry.action) {
    case 'profile.read':
      return 'Saw your profile';
    case 'grant.read':
      return mine ? 'Checked what access you gave it' : `Checked what access ${actor} gave it`;
    case 'app_friends.read':
      return mine ? 'Saw which of your friends use it' : `Saw that you are friends with ${actor} and use it`;
    case 'app_message.send': {
      const what = messages > 1 ? plural(messages, 'message') : 'a message';
      return mine ? `Sent ${what} as you${inThreads}` : `Sent ${what} from ${actor}${inThreads}`;
    }
    case 'app_message.delete': {
      const what = messages > 1 ? plural(messages, 'message') : 'a message';
      return mine
        ? `Deleted ${what} you sent through it${inThreads}`
        : `Deleted ${what} from ${actor}${inThreads}`;
    }
    case 'app_thread.list':
      return mine
        ? 'Listed your conversations'
        : `Listed ${actor}’s conversations, including ${entry.threads.length > 2 ? plural(entry.threads.length, 'conversation') + ' with you' : listNames(entry.threads.map((id) => lookup.thread(id))) || 'none with you'}`;
    case 'app_thread.read':
      return messages === 0
        ? `Opened${inThreads || ' a conversation'} but read no messages`
        : `Read ${plural(messages, 'message')}${inThreads}`;
    case 'app_events.read':
      return `Received ${messages > 1 ? plural(messages, 'new message') : 'a new message'}${inThreads} as it happened`;
    case 'webhook.message_created':
      return `Received ${messages > 1 ? plural(messages, 'new message') : 'a new message'}${inThreads} by webhook`;
    default:
      // An action this page does not know yet: say exactly what was recorded.
      return `Recorded “${entry.action}”${inThreads}${messages > 0 ? ` (${plural(messages, 'message')})` : ''}`;
  }
}

/** Counts per kind of data, for the entries shown. */
function countsOf(items: AccessLogItem[]): string[] {
  let read = 0;
  let sent = 0;
  let deleted = 0;
  let profile = 0;
  let friends = 0;
  let lists = 0;
  for (const { entry } of items) {
    const n = entry.messages.length;
    switch (entry.action) {
      case 'app_thread.read':
      case 'app_events.read':
      case 'webhook.message_created':
        read += n;
        break;
      case 'app_message.send':
        sent += Math.max(n, 1);
        break;
      case 'app_message.delete':
        deleted += Math.max(n, 1);
        break;
      case 'profile.read':
        profile += 1;
        break;
      case 'app_friends.read':
        friends += 1;
        break;
      case 'app_thread.list':
        lists += 1;
        break;
    }
  }
  const out: string[] = [];
  if (read) out.push(`${plural(read, 'message')} received or read`);
  if (sent) out.push(`${plural(sent, 'message')} sent`);
  if (deleted) out.push(`${plural(deleted, 'message')} deleted`);
  if (profile) out.push(`profile seen ${plural(profile, 'time')}`);
  if (friends) out.push(`friends seen ${plural(friends, 'time')}`);
  if (lists) out.push(`conversations listed ${plural(lists, 'time')}`);
  return out;
}

export function AccessLogPage() {
  useDocumentTitle('What apps did with your data');
  const { me } = useSession();
  const search = useSearch();
  const appFilter = new URLSearchParams(search).get('app') ?? '';
  const filterId = useId();

  const [items, setItems] = useState<AccessLogItem[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [names, setNames] = useState<Names>({ apps: {}, threads: {}, people: { [me.id]: me.displayName } });
  const requested = useRef(new Set<string>());
  const [verifying, setVerifying] = useState(false);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [connected, setConnected] = useState<{ clientId: string; name: string }[]>([]);

  // The first page, again whenever the app filter changes.
  const load = useCallback(() => {
    let cancelled = false;
    setItems(null);
    setNextCursor(undefined);
    setLoadError(null);
    setReport(null);
    api
      .accessLog({ app: appFilter || undefined, limit: PAGE_SIZE })
      .then((page) => {
        if (cancelled) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
      })
      .catch((e: unknown) => {
        if (!cancelled) setLoadError(errorMessage(e));
      });
    return () => {
      cancelled = true;
    };
  }, [appFilter]);
  useEffect(load, [load]);

  // Names I already know: the apps I connected and my friends.
  useEffect(() => {
    api
      .connectedApps()
      .then(({ items: apps }) => {
        setConnected(apps.map((a) => ({ clientId: a.app.clientId, name: a.app.name })));
        setNames((n) => ({
          ...n,
          apps: { ...n.apps, ...Object.fromEntries(apps.map((a) => [a.app.clientId, a.app.name])) },
        }));
      })
      .catch(() => undefined);
    api
      .friends()
      .then(({ items: friends }) =>
        setNames((n) => ({
          ...n,
          people: { ...Object.fromEntries(friends.map((f) => [f.user.id, f.user.displayName])), ...n.people },
        })),
      )
      .catch(() => undefined);
  }, []);

  // What the entries mention and I do not know yet: other people's apps, conversations (and
  // through them the people in them). Each is asked for once.
  useEffect(() => {
    if (!items) return;
    const ask = (key: string) => {
      if (requested.current.has(key)) return false;
      requested.current.add(key);
      return true;
    };
    const apps = new Set(items.map((i) => i.entry.app));
    if (appFilter) apps.add(appFilter);
    for (const clientId of apps) {
      if (!ask(`app:${clientId}`)) continue;
      api
        .shareApp(clientId)
        .then((app) => setNames((n) => ({ ...n, apps: { [clientId]: app.name, ...n.apps } })))
        .catch(() => setNames((n) => ({ ...n, apps: { [clientId]: null, ...n.apps } })));
    }
    for (const threadId of new Set(items.flatMap((i) => i.entry.threads))) {
      if (!ask(`thread:${threadId}`)) continue;
      api
        .thread(threadId)
        .then((thread) =>
          setNames((n) => ({
            ...n,
            threads: { ...n.threads, [threadId]: threadLabel(thread, me.id) },
            people: {
              ...Object.fromEntries(thread.participants.map((p) => [p.id, p.displayName])),
              ...n.people,
            },
          })),
        )
        .catch(() => setNames((n) => ({ ...n, threads: { ...n.threads, [threadId]: null } })));
    }
  }, [items, appFilter, me.id]);

  const lookup: Lookup = useMemo(
    () => ({
      meId: me.id,
      app: (clientId) => names.apps[clientId] ?? 'An app',
      person: (userId) => names.people[userId] ?? 'someone else',
      thread: (threadId) => {
        const label = names.threads[threadId];
        return label ? `‘${label}’` : 'a conversation';
      },
    }),
    [names, me.id],
  );

  // One card per app, the app with the latest access first; entries stay newest first.
  const groups = useMemo(() => {
    const byApp = new Map<string, AccessLogItem[]>();
    for (const item of items ?? []) {
      const list = byApp.get(item.entry.app);
      if (list) list.push(item);
      else byApp.set(item.entry.app, [item]);
    }
    return [...byApp.entries()];
  }, [items]);

  const filterOptions = useMemo(() => {
    const options = new Map(connected.map((a) => [a.clientId, a.name]));
    for (const id of [...(items ?? []).map((i) => i.entry.app), ...(appFilter ? [appFilter] : [])]) {
      if (!options.has(id)) options.set(id, names.apps[id] ?? `An app (${id})`);
    }
    return [...options.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  }, [connected, items, appFilter, names.apps]);

  function changeFilter(event: ChangeEvent<HTMLSelectElement>) {
    const value = event.target.value;
    navigate(value ? `/access-log?app=${encodeURIComponent(value)}` : '/access-log');
  }

  function loadOlder() {
    if (!nextCursor) return;
    setLoadingOlder(true);
    api
      .accessLog({ app: appFilter || undefined, before: nextCursor, limit: PAGE_SIZE })
      .then((page) => {
        setItems((current) => [...(current ?? []), ...page.items]);
        setNextCursor(page.nextCursor);
      })
      .catch((e: unknown) => setLoadError(errorMessage(e)))
      .finally(() => setLoadingOlder(false));
  }

  function verify() {
    if (!items) return;
    setVerifying(true);
    setReport(null);
    verifyAccessLog(items)
      .then(setReport)
      .catch((e: unknown) => setReport({ ok: false, reason: errorMessage(e) }))
      .finally(() => setVerifying(false));
  }

  const checks = report?.ok ? report.entries : null;
  const filterName = appFilter ? lookup.app(appFilter) : null;

  return (
    <div className="page narrow access-log-page">
      <div className="page-intro">
        <h1>What apps did with your data</h1>
        <p className="muted">
          Every time an app read or changed data about you through Parley — also through apps other people
          connected, when their conversations include you — latest first.
        </p>
        <p>
          <Link to="/apps">Apps &amp; access</Link>
        </p>
      </div>

      <div className="access-toolbar">
        <div className="field">
          <label htmlFor={filterId}>App</label>
          <select id={filterId} value={appFilter} onChange={changeFilter}>
            <option value="">All apps</option>
            {filterOptions.map(([clientId, name]) => (
              <option key={clientId} value={clientId}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="button primary"
          onClick={verify}
          disabled={!items || items.length === 0 || verifying}
        >
          Verify
        </button>
      </div>

      <div className="verify-result" aria-live="polite">
        {verifying && <p className="muted">Checking the log’s signature and proofs in your browser…</p>}
        {report && <VerifySummary report={report} />}
      </div>

      {loadError && <LoadError message={loadError} onRetry={load} />}

      {!items && !loadError && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}

      {items && items.length === 0 && (
        <div className="card-section empty-state">
          <p>
            {filterName
              ? `${filterName} has not accessed data about you.`
              : 'No app has accessed data about you.'}
          </p>
        </div>
      )}

      {groups.map(([clientId, list]) => (
        <AppTimeline
          key={clientId}
          name={lookup.app(clientId)}
          items={list}
          lookup={lookup}
          checks={checks}
        />
      ))}

      {nextCursor && items && (
        <p className="load-older">
          <button type="button" className="button" onClick={loadOlder} disabled={loadingOlder}>
            Load older
          </button>
        </p>
      )}

      <section className="card-section access-proves" aria-labelledby="access-proves-heading">
        <h2 id="access-proves-heading">What this log proves</h2>
        <ul>
          <li>
            Parley records every partner access to data about you before it answers the app, and publishes a
            signed summary of the whole log (a checkpoint).
          </li>
          <li>
            Verify checks in your browser that each entry shown is in that signed log, and that the log only
            grew since you last checked: no entry was removed or rewritten.
          </li>
          <li>
            It cannot prove what an app did with data it already had: copies it kept, or what it shared
            elsewhere. Revoking access stops further access; it does not take back what the app received.
          </li>
        </ul>
      </section>
    </div>
  );
}

function AppTimeline({
  name,
  items,
  lookup,
  checks,
}: {
  name: string;
  items: AccessLogItem[];
  lookup: Lookup;
  checks: Map<number, EntryCheck> | null;
}) {
  const headingId = useId();
  const counts = countsOf(items);
  return (
    <section className="card-section access-app" aria-labelledby={headingId}>
      <h2 id={headingId}>{name}</h2>
      {counts.length > 0 && <p className="muted small">{counts.join(' · ')}</p>}
      <ol className="access-timeline">
        {items.map((item) => {
          const { entry } = item;
          const check = checks?.get(item.index);
          return (
            <li key={item.index} className="access-entry">
              <p className="access-sentence">{describe(entry, lookup)}</p>
              <p className="access-meta muted small">
                <time dateTime={entry.time} title={formatFull(entry.time)}>
                  {formatRelative(entry.time)}
                </time>
                {entry.actor !== lookup.meId && <span> · for {lookup.person(entry.actor)}</span>}
                <span> · entry {item.index}</span>
                {check && <EntryStatus check={check} />}
              </p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function EntryStatus({ check }: { check: EntryCheck }) {
  switch (check.status) {
    case 'verified':
      return (
        <span className="verify-tag ok">
          {' · '}
          <span aria-hidden="true">✓</span> in the signed log
        </span>
      );
    case 'pending':
      return <span className="verify-tag pending"> · pending, will be in the next checkpoint</span>;
    case 'failed':
      return (
        <span className="verify-tag bad">
          {' · '}
          <span aria-hidden="true">✗</span> not verified: {check.reason}
        </span>
      );
  }
}

function VerifySummary({ report }: { report: VerifyReport }) {
  if (!report.ok) {
    return (
      <p className="form-error" role="alert">
        {report.reason}
      </p>
    );
  }
  const { checkpoint, consistency, entries } = report;
  const all = [...entries.values()];
  const verified = all.filter((c) => c.status === 'verified').length;
  const pending = all.filter((c) => c.status === 'pending').length;
  const failed = all.length - verified - pending;
  const entriesOk = failed === 0;
  const consistencyOk = consistency.status !== 'failed';
  return (
    <div
      className={entriesOk && consistencyOk ? 'form-ok' : 'form-error'}
      role={entriesOk && consistencyOk ? undefined : 'alert'}
    >
      <p>
        {failed === 0
          ? `Verified ${plural(verified, 'entry', 'entries')} against checkpoint ${checkpoint.size}, signed by ${checkpoint.origin}.`
          : `${plural(failed, 'entry', 'entries')} could not be verified against checkpoint ${checkpoint.size}, signed by ${checkpoint.origin}; ${verified} verified. See the entries marked ✗.`}
        {pending > 0 &&
          ` ${plural(pending, 'entry is', 'entries are')} pending and will be in the next checkpoint.`}
      </p>
      <p>{consistencyText(consistency)}</p>
    </div>
  );
}

function consistencyText(c: Extract<VerifyReport, { ok: true }>['consistency']): string {
  switch (c.status) {
    case 'first':
      return 'This browser had not checked before; it now remembers this checkpoint, to prove next time that the log only grew.';
    case 'same':
      return `The log has not changed since you last checked (size ${c.size}).`;
    case 'grew':
      return `The log only grew since you last checked (size ${c.from} → ${c.to}).`;
    case 'other-log':
      return `You last checked a different log (${c.previousOrigin}); this browser now remembers this one.`;
    case 'failed':
      return `The log does not extend the one you checked before (size ${c.from} → ${c.to}): ${c.reason}. An earlier record may have been rewritten.`;
  }
}
