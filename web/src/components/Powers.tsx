// Parley's fixed plain-language lines for a scope (DESIGN.md "Scopes"): what it allows and
// what it never allows. The consent screen, Apps & access and the developer console all show
// them the same way, from the same catalogue.
import type { ScopeInfo } from '../api';
import { Icon } from './Icon';

type Props = Pick<ScopeInfo, 'can' | 'cannot'> & { id?: string };

export function Powers({ can, cannot, id }: Props) {
  if (can.length === 0 && cannot.length === 0) return null;
  return (
    <ul className="powers" id={id}>
      {can.map((line) => (
        <li key={`can-${line}`} className="power can">
          <Icon name="check" className="power-icon" />
          <span>
            <strong>Can:</strong> {line}
          </span>
        </li>
      ))}
      {cannot.map((line) => (
        <li key={`cannot-${line}`} className="power cannot">
          <Icon name="cross" className="power-icon" />
          <span>
            <strong>Cannot:</strong> {line}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The app's own words for why it asks, set apart from Parley's lines. */
export function Purpose({ purpose, appName, id }: { purpose: string; appName: string; id?: string }) {
  if (!purpose.trim()) return null;
  return (
    <p className="purpose" id={id}>
      <span className="purpose-label">Why:</span> <span className="purpose-text">{`“${purpose}”`}</span>{' '}
      <span className="purpose-source">— in {appName}’s words</span>
    </p>
  );
}
