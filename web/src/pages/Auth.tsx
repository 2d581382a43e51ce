import { CredentialFields } from '../components/CredentialFields';
import { useId, useState, type FormEvent } from 'react';
import { api, errorMessage, type User } from '../api';
import { useDocumentTitle } from '../hooks';
import { Link, nextQuery } from '../router';

type Props = { onAuthenticated: (user: User) => void };

// The same rules as the API (docs/API.md), checked here only to answer sooner.
const USERNAME = /^[a-z0-9_]{3,32}$/;

export function LoginPage({ onAuthenticated }: Props) {
  useDocumentTitle('Log in');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { username: useId(), password: useId(), error: useId() };

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
      .then(onAuthenticated)
      .catch((e: unknown) => {
        setError(errorMessage(e));
        setBusy(false);
      });
  }

  return (
    <div className="auth-card">
      <h1>Log in to Parley</h1>
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
        <button type="submit" className="button primary wide" disabled={busy}>
          Log in
        </button>
      </form>
      <p className="auth-switch">
        New here? <Link to={`/signup${nextQuery()}`}>Create an account</Link>
      </p>
    </div>
  );
}

export function SignupPage({ onAuthenticated }: Props) {
  useDocumentTitle('Sign up');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = {
    username: useId(),
    usernameHint: useId(),
    displayName: useId(),
    password: useId(),
    passwordHint: useId(),
    error: useId(),
  };

  function validate(): string | null {
    if (!USERNAME.test(username)) {
      return 'Choose a username of 3 to 32 characters: lowercase letters, digits or underscores.';
    }
    const name = displayName.trim();
    if (name.length < 1 || name.length > 64) return 'Enter a display name of 1 to 64 characters.';
    if (password.length < 8) return 'Choose a password of at least 8 characters.';
    if (password.length > 256) return 'Choose a password of at most 256 characters.';
    return null;
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const problem = validate();
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    api
      .signup({ username, displayName: displayName.trim(), password })
      .then(onAuthenticated)
      .catch((e: unknown) => {
        setError(errorMessage(e));
        setBusy(false);
      });
  }

  return (
    <div className="auth-card">
      <h1>Create your Parley account</h1>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.username}>Username</label>
          <input
            id={ids.username}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            maxLength={32}
            aria-describedby={ids.usernameHint}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
          <p id={ids.usernameHint} className="hint">
            3–32 lowercase letters, digits or _. Friends add you by it.
          </p>
        </div>
        <div className="field">
          <label htmlFor={ids.displayName}>Display name</label>
          <input
            id={ids.displayName}
            name="displayName"
            autoComplete="name"
            required
            maxLength={64}
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.password}>Password</label>
          <input
            id={ids.password}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            maxLength={256}
            aria-describedby={ids.passwordHint}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <p id={ids.passwordHint} className="hint">
            At least 8 characters.
          </p>
        </div>
        {error && (
          <p id={ids.error} className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary wide" disabled={busy}>
          Sign up
        </button>
      </form>
      <p className="auth-switch">
        Already have an account? <Link to={`/login${nextQuery()}`}>Log in</Link>
      </p>
    </div>
  );
}
