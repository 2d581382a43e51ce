import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, errorMessage, onSessionLost, type Me, type User } from './api';
import { Header } from './components/Header';
import { LiveProvider } from './live';
import { AccessLogPage } from './pages/AccessLog';
import { AppsPage } from './pages/Apps';
import { LoginPage, SignupPage } from './pages/Auth';
import { ConsentPage } from './pages/Consent';
import { DeveloperAppPage, DeveloperPage } from './pages/Developer';
import { FriendsPage } from './pages/Friends';
import { MessengerPage } from './pages/Messenger';
import { NotFoundPage } from './pages/NotFound';
import { SharePage } from './pages/Share';
import { matchPath, navigate, nextPath, usePathname } from './router';
import { SessionContext, type Session } from './session';

type AuthState =
  | { status: 'loading' }
  | { status: 'unreachable'; message: string }
  | { status: 'anonymous' }
  | { status: 'signed-in'; me: Me };

const AUTH_PAGES = new Set(['/login', '/signup']);

export function App() {
  const pathname = usePathname();
  const [auth, setAuth] = useState<AuthState>({ status: 'loading' });

  const loadMe = useCallback((signal?: AbortSignal) => {
    api
      .me(signal)
      .then((me) => setAuth({ status: 'signed-in', me }))
      .catch((error: unknown) => {
        if (signal?.aborted) return;
        if (error instanceof ApiError && error.status === 401) setAuth({ status: 'anonymous' });
        else setAuth({ status: 'unreachable', message: errorMessage(error) });
      });
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    loadMe(controller.signal);
    return () => controller.abort();
  }, [loadMe]);

  useEffect(() => onSessionLost(() => setAuth({ status: 'anonymous' })), []);

  const isAuthPage = AUTH_PAGES.has(pathname);
  // The consent screen works without a session: it has its own log-in form.
  const consentUid = matchPath('/consent/:uid', pathname)?.uid;

  useEffect(() => {
    if (consentUid !== undefined) return;
    // Come back to where the person was going (a share link, a conversation) after logging in.
    if (auth.status === 'anonymous' && !isAuthPage) {
      const here = location.pathname + location.search;
      navigate(here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`, { replace: true });
    }
    if (auth.status === 'signed-in' && isAuthPage) navigate(nextPath(), { replace: true });
  }, [auth.status, isAuthPage, consentUid]);

  const onAuthenticated = useCallback((user: User) => {
    setAuth({ status: 'signed-in', me: user });
    navigate(nextPath(), { replace: true });
  }, []);

  const onConsentSession = useCallback((user: User | null) => {
    setAuth(user ? { status: 'signed-in', me: user } : { status: 'anonymous' });
  }, []);

  const logout = useCallback(() => {
    api
      .logout()
      .catch(() => undefined)
      .finally(() => {
        setAuth({ status: 'anonymous' });
        navigate('/login');
      });
  }, []);

  const me = auth.status === 'signed-in' ? auth.me : null;
  const session = useMemo<Session | null>(() => (me ? { me, logout } : null), [me, logout]);

  if (consentUid !== undefined) {
    return <ConsentPage key={consentUid} uid={consentUid} onSession={onConsentSession} />;
  }

  if (auth.status === 'loading') {
    return (
      <div className="splash" role="status">
        <span className="logo">Parley</span>
        <span className="muted">Loading…</span>
      </div>
    );
  }

  if (auth.status === 'unreachable') {
    return (
      <div className="splash">
        <span className="logo">Parley</span>
        <p role="alert">{auth.message}</p>
        <button
          type="button"
          className="button primary"
          onClick={() => {
            setAuth({ status: 'loading' });
            loadMe();
          }}
        >
          Try again
        </button>
      </div>
    );
  }

  if (!session) {
    return (
      <div className="app">
        <Header />
        <main id="main" className="main auth-main">
          {pathname === '/signup' ? (
            <SignupPage onAuthenticated={onAuthenticated} />
          ) : (
            <LoginPage onAuthenticated={onAuthenticated} />
          )}
        </main>
      </div>
    );
  }

  return (
    <SessionContext.Provider value={session}>
      <LiveProvider key={session.me.id}>
        <div className="app">
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <Header />
          <main id="main" className="main" tabIndex={-1}>
            <SignedInRoutes pathname={pathname} />
          </main>
        </div>
      </LiveProvider>
    </SessionContext.Provider>
  );
}

function SignedInRoutes({ pathname }: { pathname: string }) {
  if (pathname === '/' || AUTH_PAGES.has(pathname)) return <MessengerPage threadId={null} />;
  const thread = matchPath('/t/:threadId', pathname);
  if (thread?.threadId) return <MessengerPage threadId={thread.threadId} />;
  if (pathname === '/friends') return <FriendsPage />;
  if (pathname === '/apps') return <AppsPage />;
  if (pathname === '/share') return <SharePage search={location.search} />;
  if (pathname === '/access-log') return <AccessLogPage />;
  if (pathname === '/developer') return <DeveloperPage />;
  const devApp = matchPath('/developer/apps/:clientId', pathname);
  if (devApp?.clientId) return <DeveloperAppPage key={devApp.clientId} clientId={devApp.clientId} />;
  return <NotFoundPage />;
}
