// Secrets the server shows exactly once (a new app's client and webhook secrets, a rotated
// client secret): highlighted, each with a copy button, and a plain warning.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

type Item = { label: string; value: string };

export function SecretBox({
  title,
  items,
  children,
  onDone,
}: {
  title: string;
  items: Item[];
  children?: ReactNode;
  onDone?: () => void;
}) {
  const headingId = useId();
  const ref = useRef<HTMLElement>(null);

  // Bring the one-time secrets into view and put focus there, so nobody misses them.
  useEffect(() => {
    ref.current?.focus();
    ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, []);

  return (
    <section className="secret-box" aria-labelledby={headingId} tabIndex={-1} ref={ref}>
      <h2 id={headingId}>{title}</h2>
      <p className="secret-warning">
        <strong>Copy the secret now: it will not be shown again.</strong>
      </p>
      <dl className="secret-list">
        {items.map((item) => (
          <div key={item.label} className="secret-row">
            <dt>{item.label}</dt>
            <dd>
              <code
                className="secret-value"
                data-testid={`secret-${item.label.toLowerCase().replace(/\s+/g, '-')}`}
              >
                {item.value}
              </code>
              <CopyButton label={item.label} value={item.value} />
            </dd>
          </div>
        ))}
      </dl>
      {children}
      {onDone && (
        <div>
          <button type="button" className="button" onClick={onDone}>
            Done
          </button>
        </div>
      )}
    </section>
  );
}

/** "Copy client secret": the name stays the same after copying; the result is announced. */
export function CopyButton({ label, value }: { label: string; value: string }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  function copy() {
    clearTimeout(timer.current);
    const done = (ok: boolean) => {
      setStatus(ok ? 'copied' : 'failed');
      timer.current = setTimeout(() => setStatus('idle'), 4000);
    };
    if (navigator.clipboard?.writeText) {
      navigator.clipboard.writeText(value).then(
        () => done(true),
        () => done(false),
      );
    } else {
      done(false);
    }
  }

  return (
    <span className="copy">
      <button type="button" className="button small" onClick={copy}>
        Copy {label.charAt(0).toLowerCase() + label.slice(1)}
      </button>
      <span role="status" className="copy-status small">
        {status === 'copied' ? 'Copied' : status === 'failed' ? 'Select the text and copy it by hand' : ''}
      </span>
    </span>
  );
}
