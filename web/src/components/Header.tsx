import { useContext } from 'react';
import { useLiveStatus } from '../live';
import { Link, usePathname } from '../router';
import { Icon } from './Icon';
import { SessionContext } from '../session';

export function Header() {
  const session = useContext(SessionContext);
  const pathname = usePathname();
  const inMessages = pathname === '/' || pathname.startsWith('/t/');
  const inApps = pathname === '/apps' || pathname === '/access-log';
  const inDeveloper = pathname === '/developer' || pathname.startsWith('/developer/');

  return (
    <header className="site-header">
      <Link to={session ? '/' : '/login'} className="logo">
        <span className="logo-mark">
          <Icon name="logo" />
        </span>
        <span className="logo-text">Parley</span>
      </Link>
      {session && (
        <>
          <nav aria-label="Main" className="site-nav">
            <Link to="/" aria-current={inMessages ? 'page' : undefined}>
              Messages
            </Link>
            <Link to="/friends" aria-current={pathname === '/friends' ? 'page' : undefined}>
              Friends
            </Link>
            <Link to="/apps" aria-current={inApps ? 'page' : undefined}>
              Apps &amp; access
            </Link>
            <Link to="/developer" aria-current={inDeveloper ? 'page' : undefined}>
              Developers
            </Link>
          </nav>
          <div className="header-end">
            <LiveIndicator />
            <span className="me-name" title={`@${session.me.username}`}>
              {session.me.displayName}
            </span>
            <button type="button" className="button subtle" onClick={session.logout}>
              Log out
            </button>
          </div>
        </>
      )}
    </header>
  );
}

function LiveIndicator() {
  const status = useLiveStatus();
  return (
    <span role="status" className={`live-indicator ${status}`}>
      {status === 'reconnecting' ? 'Reconnecting…' : ''}
    </span>
  );
}
