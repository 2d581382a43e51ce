// The developer console's app form: register a new app, or edit one (docs/API.md "Developer
// console"). Every scope the app asks for needs a purpose in the app's own words: people see
// it on the consent screen beside Parley's fixed "can" / "cannot" lines.
import { useId, useState, type FormEvent } from 'react';
import {
  errorMessage,
  type AppInput,
  type DeveloperApp,
  type ScopeInfo,
  type ScopeName,
  type WebhookEventType,
} from '../api';
import { Powers } from './Powers';

type ScopeChoice = { checked: boolean; purpose: string; required: boolean };
type Fields = {
  name: string;
  description: string;
  homepageUrl: string;
  privacyPolicyUrl: string;
  redirectUris: string;
  webhookUrl: string;
};
type FieldName = keyof Fields | `scope:${string}`;

type Props = {
  catalogue: ScopeInfo[];
  /** Editing: the app as it is now. */
  initial?: DeveloperApp;
  submitLabel: string;
  onSubmit: (input: AppInput) => Promise<void>;
};

/** The webhook events an app may ask for, in words a developer reads. */
const WEBHOOK_EVENTS: readonly { type: WebhookEventType; label: string }[] = [
  { type: 'message.created', label: 'message.created — each new message in conversations your app may read' },
  { type: 'grant.revoked', label: 'grant.revoked — a person revoked your app' },
  { type: 'grant.expired', label: 'grant.expired — a grant expired after going unused' },
];

/** The server stores these as required whatever the form says: connecting means signing in. */
const ALWAYS_REQUIRED: ReadonlySet<ScopeName> = new Set(['openid']);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

export function AppForm({ catalogue, initial, submitLabel, onSubmit }: Props) {
  const [fields, setFields] = useState<Fields>(() => ({
    name: initial?.name ?? '',
    description: initial?.description ?? '',
    homepageUrl: initial?.homepageUrl ?? '',
    privacyPolicyUrl: initial?.privacyPolicyUrl ?? '',
    redirectUris: initial?.redirectUris.join('\n') ?? '',
    webhookUrl: initial?.webhookUrl ?? '',
  }));
  const [events, setEvents] = useState<ReadonlySet<WebhookEventType>>(
    () => new Set(initial?.webhookEvents ?? WEBHOOK_EVENTS.map((e) => e.type)),
  );
  const [choices, setChoices] = useState<Partial<Record<ScopeName, ScopeChoice>>>(() => {
    const start: Partial<Record<ScopeName, ScopeChoice>> = {};
    // Every app signs people in: a new registration starts with openid (the server requires it).
    if (!initial)
      for (const scope of ALWAYS_REQUIRED) start[scope] = { checked: true, purpose: '', required: true };
    for (const scope of initial?.scopes ?? []) {
      start[scope.scope] = { checked: true, purpose: scope.purpose, required: scope.required };
    }
    return start;
  });
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const baseId = useId();
  const id = (name: string) => `${baseId}-${name}`;
  const had = new Set(initial?.scopes.map((s) => s.scope) ?? []);

  function set<K extends keyof Fields>(key: K, value: string) {
    setFields((current) => ({ ...current, [key]: value }));
  }

  function setChoice(scope: ScopeName, change: Partial<ScopeChoice>) {
    setChoices((current) => {
      const before = current[scope] ?? { checked: false, purpose: '', required: false };
      return { ...current, [scope]: { ...before, ...change } };
    });
  }

  function validate(): Partial<Record<FieldName, string>> {
    const found: Partial<Record<FieldName, string>> = {};
    if (!fields.name.trim()) found.name = 'Enter the name people will see.';
    if (!fields.description.trim()) found.description = 'Say in a sentence or two what your app does.';
    if (!isHttpUrl(fields.homepageUrl.trim())) found.homepageUrl = 'Enter an http or https address.';
    if (!isHttpUrl(fields.privacyPolicyUrl.trim()))
      found.privacyPolicyUrl = 'Enter an http or https address.';
    const uris = linesOf(fields.redirectUris);
    if (uris.length === 0) found.redirectUris = 'Enter at least one redirect URI.';
    else {
      const bad = uris.find((uri) => !isUrl(uri));
      if (bad) found.redirectUris = `“${bad}” is not an absolute URI.`;
    }
    const webhook = fields.webhookUrl.trim();
    if (webhook && !isHttpUrl(webhook))
      found.webhookUrl = 'Enter an http or https address, or leave it empty.';
    for (const scope of catalogue) {
      const choice = choices[scope.scope];
      if (choice?.checked && !choice.purpose.trim()) {
        found[`scope:${scope.scope}`] = `Say why your app needs “${scope.scope}”.`;
      }
    }
    return found;
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found = validate();
    setErrors(found);
    setSubmitError(null);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(id(first))?.focus();
      return;
    }
    const webhook = fields.webhookUrl.trim();
    const input: AppInput = {
      name: fields.name.trim(),
      description: fields.description.trim(),
      homepageUrl: fields.homepageUrl.trim(),
      privacyPolicyUrl: fields.privacyPolicyUrl.trim(),
      redirectUris: linesOf(fields.redirectUris),
      scopes: catalogue.flatMap((scope) => {
        const choice = choices[scope.scope];
        return choice?.checked
          ? [
              {
                scope: scope.scope,
                purpose: choice.purpose.trim(),
                required: choice.required || ALWAYS_REQUIRED.has(scope.scope),
              },
            ]
          : [];
      }),
      webhookUrl: webhook || null,
      webhookEvents: WEBHOOK_EVENTS.map((e) => e.type).filter((type) => events.has(type)),
    };
    setBusy(true);
    onSubmit(input)
      .catch((e: unknown) => setSubmitError(errorMessage(e)))
      .finally(() => setBusy(false));
  }

  /** Props that tie an input to its error message. */
  function errorProps(name: FieldName, hintId?: string) {
    const error = errors[name];
    const describedBy = [hintId, error ? id(`${name}-error`) : undefined].filter(Boolean).join(' ');
    return {
      id: id(name),
      'aria-invalid': error ? true : undefined,
      'aria-describedby': describedBy || undefined,
    };
  }

  function fieldError(name: FieldName) {
    const error = errors[name];
    return error ? (
      <p id={id(`${name}-error`)} className="field-error">
        {error}
      </p>
    ) : null;
  }

  const errorCount = Object.keys(errors).length;

  return (
    <form className="app-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={id('name')}>Name</label>
        <input
          {...errorProps('name')}
          maxLength={64}
          value={fields.name}
          onChange={(e) => set('name', e.target.value)}
        />
        {fieldError('name')}
      </div>
      <div className="field">
        <label htmlFor={id('description')}>Description</label>
        <textarea
          {...errorProps('description', id('description-hint'))}
          rows={2}
          maxLength={500}
          value={fields.description}
          onChange={(e) => set('description', e.target.value)}
        />
        <p id={id('description-hint')} className="hint">
          One or two sentences, shown on the consent screen.
        </p>
        {fieldError('description')}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={id('homepageUrl')}>Homepage URL</label>
          <input
            {...errorProps('homepageUrl')}
            type="url"
            inputMode="url"
            placeholder="https://"
            value={fields.homepageUrl}
            onChange={(e) => set('homepageUrl', e.target.value)}
          />
          {fieldError('homepageUrl')}
        </div>
        <div className="field">
          <label htmlFor={id('privacyPolicyUrl')}>Privacy policy URL</label>
          <input
            {...errorProps('privacyPolicyUrl')}
            type="url"
            inputMode="url"
            placeholder="https://"
            value={fields.privacyPolicyUrl}
            onChange={(e) => set('privacyPolicyUrl', e.target.value)}
          />
          {fieldError('privacyPolicyUrl')}
        </div>
      </div>
      <div className="field">
        <label htmlFor={id('redirectUris')}>Redirect URIs</label>
        <textarea
          {...errorProps('redirectUris', id('redirectUris-hint'))}
          rows={3}
          spellCheck={false}
          autoCapitalize="none"
          value={fields.redirectUris}
          onChange={(e) => set('redirectUris', e.target.value)}
        />
        <p id={id('redirectUris-hint')} className="hint">
          One per line: https, or http on localhost. Parley sends people back only to these exact addresses.
        </p>
        {fieldError('redirectUris')}
      </div>
      <div className="field">
        <label htmlFor={id('webhookUrl')}>Webhook URL (optional)</label>
        <input
          {...errorProps('webhookUrl', id('webhookUrl-hint'))}
          type="url"
          inputMode="url"
          placeholder="https://"
          value={fields.webhookUrl}
          onChange={(e) => set('webhookUrl', e.target.value)}
        />
        <p id={id('webhookUrl-hint')} className="hint">
          Parley posts signed events here, such as a person revoking your app’s access.
        </p>
        {fieldError('webhookUrl')}
      </div>
      <fieldset className="scope-picker webhook-events">
        <legend>Webhook events</legend>
        <p className="hint">
          Ask only for what your app uses: each message Parley sends you is recorded in the person’s access
          log as read by your app.
        </p>
        {WEBHOOK_EVENTS.map((event) => (
          <label key={event.type} className="pick">
            <input
              type="checkbox"
              checked={events.has(event.type)}
              onChange={(e) => {
                const checked = e.target.checked;
                setEvents((current) => {
                  const next = new Set(current);
                  if (checked) next.add(event.type);
                  else next.delete(event.type);
                  return next;
                });
              }}
            />
            <span>{event.label}</span>
          </label>
        ))}
      </fieldset>

      <fieldset className="scope-picker">
        <legend>Scopes</legend>
        <p className="hint">
          Ask only for what your app uses. People see each scope with your purpose and can untick the ones
          that are not required.
        </p>
        {initial && (
          <p className="notice-warn" role="note">
            Adding a scope asks everyone to consent again.
          </p>
        )}
        <ul>
          {catalogue.map((scope) => {
            const choice = choices[scope.scope];
            const checked = choice?.checked ?? false;
            const key = `scope:${scope.scope}` as const;
            const isNew = initial !== undefined && checked && !had.has(scope.scope);
            const alwaysRequired = ALWAYS_REQUIRED.has(scope.scope);
            return (
              <li
                key={scope.scope}
                className={`scope-pick${checked ? ' ticked' : ''}`}
                data-testid={`scope-${scope.scope}`}
              >
                <label className="pick">
                  <input
                    type="checkbox"
                    checked={checked}
                    onChange={(e) => setChoice(scope.scope, { checked: e.target.checked })}
                  />
                  <span id={id(`${key}-label`)}>
                    <code>{scope.scope}</code> {scope.title}
                  </span>
                </label>
                <div className="scope-pick-body">
                  <Powers can={scope.can} cannot={scope.cannot} />
                  {isNew && <p className="hint new-scope">New: everyone will be asked to consent again.</p>}
                  {checked && (
                    <div className="scope-options">
                      <div className="field">
                        <label htmlFor={id(key)}>Purpose</label>
                        <input
                          {...errorProps(key, `${id(`${key}-label`)} ${id(`${key}-hint`)}`)}
                          required
                          maxLength={300}
                          value={choice?.purpose ?? ''}
                          onChange={(e) => setChoice(scope.scope, { purpose: e.target.value })}
                        />
                        <p id={id(`${key}-hint`)} className="hint">
                          Why your app needs this, shown to people
                        </p>
                        {fieldError(key)}
                      </div>
                      <div className="required-choice">
                        <label className="pick">
                          <input
                            type="checkbox"
                            checked={alwaysRequired || (choice?.required ?? false)}
                            disabled={alwaysRequired}
                            aria-describedby={`${id(`${key}-label`)} ${id(`${key}-required-hint`)}`}
                            onChange={(e) => setChoice(scope.scope, { required: e.target.checked })}
                          />
                          <span>Required</span>
                        </label>
                        <span id={id(`${key}-required-hint`)} className="hint">
                          {alwaysRequired
                            ? 'Always required: it is what connecting an account means.'
                            : 'People cannot untick a required scope.'}
                        </span>
                      </div>
                    </div>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      </fieldset>

      {errorCount > 0 && (
        <p className="form-error" role="alert">
          {errorCount === 1 ? 'One field needs attention.' : `${errorCount} fields need attention.`}
        </p>
      )}
      {submitError && (
        <p className="form-error" role="alert">
          {submitError}
        </p>
      )}
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
