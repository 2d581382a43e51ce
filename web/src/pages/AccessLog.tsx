// The access log (DESIGN.md "Transparency log") is a later feature. Until it exists this page
// says so plainly: it shows no entries rather than invented ones.
import { useDocumentTitle } from '../hooks';
import { Link } from '../router';

export function AccessLogPage() {
  useDocumentTitle('What apps did with your data');
  return (
    <div className="page narrow">
      <h1>What apps did with your data</h1>
      <div className="card-section">
        <p>The access log arrives with the transparency log.</p>
        <p className="muted">
          It will list every time an app read or changed data about you — also through apps other people
          connected — each entry with a proof you can check yourself. Until then there is nothing to show
          here.
        </p>
      </div>
      <p>
        <Link to="/apps">Back to Apps &amp; access</Link>
      </p>
    </div>
  );
}
