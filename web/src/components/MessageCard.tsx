import type { Card, CardKind } from '../api';
import { safeHttpUrl } from '../format';
import { Icon } from './Icon';

const KINDS: Record<CardKind, { label: string }> = {
  song: { label: 'Song' },
  show: { label: 'Show' },
  link: { label: 'Link' },
};

export function cardKindLabel(kind: CardKind): string {
  return KINDS[kind]?.label ?? 'Link';
}

export function MessageCard({ card }: { card: Card }) {
  const kindName: CardKind = card.kind in KINDS ? card.kind : 'link';
  const kind = KINDS[kindName];
  const href = safeHttpUrl(card.url);
  const image = safeHttpUrl(card.imageUrl);
  let host = '';
  if (href) host = new URL(href).host;
  return (
    <div className={`message-card kind-${kindName}`}>
      {image ? (
        <img className="card-image" src={image} alt="" loading="lazy" referrerPolicy="no-referrer" />
      ) : (
        <span className="card-icon">
          <Icon name={kindName} />
        </span>
      )}
      <div className="card-body">
        <span className="card-kind">{kind.label}</span>
        {href ? (
          <a className="card-title" href={href} target="_blank" rel="noopener noreferrer">
            {card.title}
          </a>
        ) : (
          <span className="card-title">{card.title}</span>
        )}
        {card.subtitle && <span className="card-subtitle">{card.subtitle}</span>}
        {host && <span className="card-host">{host}</span>}
      </div>
    </div>
  );
}
