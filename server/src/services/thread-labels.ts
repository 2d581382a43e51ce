import type { Repositories } from '../storage/repositories/index.js';
import { userView, type UserView } from './views.js';

export interface ThreadRef {
  id: string;
  label: string;
  participants: UserView[];
}

/** Conversations as people recognise them: the title, or the other participants' names. */
export async function threadRefs(
  repos: Repositories,
  viewerId: string,
  threads: readonly { id: string; title: string | null }[],
): Promise<ThreadRef[]> {
  const participants = await repos.threads.participantsOf(threads.map((t) => t.id));
  return threads.map((thread) => {
    const people = participants.filter((p) => p.thread_id === thread.id).map(userView);
    const others = people.filter((p) => p.id !== viewerId).map((p) => p.displayName);
    return { id: thread.id, label: thread.title ?? (others.join(', ') || 'Just you'), participants: people };
  });
}
