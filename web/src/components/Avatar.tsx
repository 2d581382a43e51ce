import type { CSSProperties } from 'react';
import type { User } from '../api';
import { initials } from '../format';

/** Initials on a colour derived from the id: stable per person, no images to fetch. */
export function Avatar({ user, size = 'md' }: { user: User; size?: 'sm' | 'md' }) {
  let hash = 0;
  for (const ch of user.id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return (
    <span
      className={`avatar ${size}`}
      style={{ '--avatar-hue': hash % 360 } as CSSProperties}
      aria-hidden="true"
    >
      {initials(user)}
    </span>
  );
}
