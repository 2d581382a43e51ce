// Demo data for `npm start`: alice, bob and carol, friends with each other, with a few
// conversations. Created once, on an empty database, through the same use-cases people use.
import type { Actor } from '../policy/authorize.js';
import type { AuthService } from './auth.service.js';
import type { ServiceDeps } from './deps.js';
import type { FriendService } from './friend.service.js';
import type { ThreadService } from './thread.service.js';

export const DEMO_PASSWORD = 'parley-demo';

const PEOPLE = [
  { username: 'alice', displayName: 'Alice Martin' },
  { username: 'bob', displayName: 'Bob Okafor' },
  { username: 'carol', displayName: 'Carol Nguyen' },
] as const;

export async function seedDemo(
  deps: ServiceDeps,
  services: { auth: AuthService; friends: FriendService; threads: ThreadService },
): Promise<boolean> {
  if ((await deps.storage.repos.users.count()) > 0) return false;
  const [alice, bob, carol] = await Promise.all(
    PEOPLE.map(async (p) => {
      const { user } = await services.auth.signup({ ...p, password: DEMO_PASSWORD });
      return { kind: 'person', userId: user.id } as const satisfies Actor;
    }),
  );
  if (!alice || !bob || !carol) return false;
  const befriend = async (a: Actor, b: Actor, bUsername: string) => {
    const request = await services.friends.request(a, bUsername);
    await services.friends.accept(b, request.id);
  };
  await befriend(alice, bob, 'bob');
  await befriend(alice, carol, 'carol');
  await befriend(bob, carol, 'carol');

  const { thread: aliceBob } = await services.threads.create(alice, { participants: [bob.userId] });
  await services.threads.send(alice, aliceBob.id, { text: 'Hey Bob! Are you around this weekend?' });
  await services.threads.send(bob, aliceBob.id, { text: 'Yes! Saturday works for me.' });
  await services.threads.send(alice, aliceBob.id, {
    text: 'Found the place I told you about',
    card: {
      kind: 'link',
      title: 'Riverside Café',
      url: 'https://example.com/riverside-cafe',
      subtitle: 'Open from 9am',
    },
  });

  const { thread: weekend } = await services.threads.create(carol, {
    participants: [alice.userId, bob.userId],
    title: 'Weekend plans',
  });
  await services.threads.send(carol, weekend.id, { text: 'Picnic on Sunday? I can bring snacks.' });
  await services.threads.send(bob, weekend.id, { text: 'In! I will bring a speaker.' });
  await services.threads.send(alice, weekend.id, {
    card: {
      kind: 'song',
      title: 'Here Comes the Sun',
      url: 'https://example.com/songs/here-comes-the-sun',
      subtitle: 'The Beatles',
    },
  });

  const { thread: bobCarol } = await services.threads.create(bob, { participants: [carol.userId] });
  await services.threads.send(bob, bobCarol.id, { text: 'Did you finish the series?' });
  await services.threads.send(carol, bobCarol.id, {
    text: 'Almost — you have to watch this one',
    card: {
      kind: 'show',
      title: 'The Long Way Home',
      url: 'https://example.com/shows/long-way-home',
      subtitle: 'Season 1',
    },
  });
  return true;
}
