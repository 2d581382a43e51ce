import { useDocumentTitle } from '../hooks';
import { Link } from '../router';

export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <div className="page narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link to="/">Go to your conversations</Link>
      </p>
    </div>
  );
}
