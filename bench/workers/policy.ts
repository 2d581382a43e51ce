// policy.authorize: decisions a second of `authorize` in a world of 10,000 grants, against casbin
// with the same facts as policy lines and @casl/ability with the same rules, on the same queries.
// Before timing anything, every query is decided by all three and the answers must agree: the
// baselines decide exactly what `authorize` decides, or the comparison means nothing.
import { createMongoAbility, subject, type MongoAbility } from '@casl/ability';
import { newEnforcer, newModelFromString, StringAdapter } from 'casbin';
import { authorize, type Actor, type Action, type Resource } from '../../server/src/policy/authorize.js';
import { SCOPES, type ScopeName } from '../../server/src/policy/scopes.js';
import { workerMain } from '../lib/proc.js';

export interface PolicyInput {
  grants: number;
  queries: number;
  /** Seconds each engine is timed for (after one untimed pass). */
  seconds: number;
}

export interface PolicyOutput {
  authorize: number;
  casbin: number;
  casl: number;
  queries: number;
  allowed: number;
  setupSeconds: { casbin: number; casl: number };
}

/** A small deterministic generator (mulberry32), so every run decides the same world. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)]!;
    },
    chance: (p: number) => next() < p,
  };
}

type AppActor = Extract<Actor, { kind: 'app' }>;

interface Thread {
  id: string;
  members: string[];
  origin: string | null;
  removed: string[];
}

interface Query {
  actor: AppActor;
  action: Action;
  resource: Resource;
  /** The same request for casbin: grant, user, client, action, object. */
  casbin: [string, string, string, string, string];
  /** The same request for CASL: the grant's ability, and a typed subject. */
  casl: { ability: number; subject: object };
}

const NOW = Date.UTC(2026, 0, 1);
const DAY = 24 * 3600 * 1000;

function buildWorld(input: PolicyInput) {
  const rnd = random(9162);
  const users = Array.from({ length: Math.max(100, input.grants / 5) }, (_, i) => `u${i}`);
  const clients = Array.from({ length: 50 }, (_, i) => `c${i}`);
  // Friendships: about ten each, symmetric.
  const friends = new Map<string, Set<string>>(users.map((u) => [u, new Set()]));
  for (const u of users) {
    for (let k = 0; k < 5; k++) {
      const v = rnd.pick(users);
      if (v === u) continue;
      friends.get(u)!.add(v);
      friends.get(v)!.add(u);
    }
  }
  // Conversations of 2 to 5 people, 40% started through an app, 5% with an app removed.
  const threads: Thread[] = [];
  const threadsOf = new Map<string, Thread[]>(users.map((u) => [u, []]));
  for (let i = 0; i < input.grants / 2; i++) {
    const members = [...new Set(Array.from({ length: 2 + rnd.int(4) }, () => rnd.pick(users)))];
    const thread: Thread = {
      id: `t${i}`,
      members,
      origin: rnd.chance(0.4) ? rnd.pick(clients) : null,
      removed: rnd.chance(0.05) ? [rnd.pick(clients)] : [],
    };
    threads.push(thread);
    for (const m of members) threadsOf.get(m)!.push(thread);
  }
  // Grants: one per person and app; openid always, the rest at random; 5% revoked, 5% expired.
  const optional: ScopeName[] = ['profile', 'messages.send', 'messages.read', 'threads.connect'];
  const seen = new Set<string>();
  const actors: AppActor[] = [];
  while (actors.length < input.grants) {
    const userId = rnd.pick(users);
    const clientId = rnd.pick(clients);
    if (seen.has(`${userId}|${clientId}`)) continue;
    seen.add(`${userId}|${clientId}`);
    const scopes = new Set<ScopeName>(['openid', ...optional.filter(() => rnd.chance(0.5))]);
    const own = threadsOf.get(userId)!;
    const selected = scopes.has('threads.connect')
      ? new Set(Array.from({ length: rnd.int(4) }, () => rnd.pick(own)?.id).filter((id) => id !== undefined))
      : new Set<string>();
    actors.push({
      kind: 'app',
      userId,
      clientId,
      now: NOW,
      grant: {
        id: `g${actors.length}`,
        userId,
        clientId,
        scopes,
        selectedThreadIds: selected,
        isRevoked: rnd.chance(0.05),
        expiresAt: rnd.chance(0.05) ? NOW - DAY : NOW + 30 * DAY,
      },
    });
  }
  return { rnd, users, clients, friends, threads, threadsOf, actors };
}

const isLive = (actor: AppActor) => !actor.grant.isRevoked && actor.now < actor.grant.expiresAt;

// The decision, as casbin policy: p lines are the scope catalogue (which scope permits which
// action, and through which relation); g lines are the facts. Live grants only: a revoked or
// expired grant has no lines. Friends are "friend:<id>" so the role manager's transitivity
// cannot make a friend of a friend a friend.
const CASBIN_MODEL = `
[request_definition]
r = grant, user, client, act, obj

[policy_definition]
p = scope, act, via

[role_definition]
g = _, _
g2 = _, _
g3 = _, _
g4 = _, _
g5 = _, _
g6 = _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.grant, p.scope) && r.act == p.act && ((p.via == "self" && r.obj == r.user) || (p.via == "friend" && g6(r.user, r.obj)) || (p.via == "origin" && g2(r.user, r.obj) && g3(r.obj, r.client) && !g5(r.obj, r.client)) || (p.via == "selected" && g2(r.user, r.obj) && g4(r.grant, r.obj) && !g5(r.obj, r.client)))
`;

/** Which relation lets each app action reach its resource (the rest of authorize's rule). */
function viaOf(action: string, scope: ScopeName): string | null {
  switch (action) {
    case 'profile.read':
      return 'self';
    case 'app_message.send':
      return 'friend';
    case 'app_thread.read':
      return scope === 'threads.connect' ? 'selected' : scope === 'messages.read' ? 'origin' : null;
    case 'app_thread.post':
      return scope === 'threads.connect' ? 'selected' : scope === 'messages.send' ? 'origin' : null;
    default:
      return null;
  }
}

function casbinPolicy(world: ReturnType<typeof buildWorld>): string {
  const lines: string[] = [];
  for (const scope of Object.values(SCOPES)) {
    for (const action of scope.actions) {
      const via = viaOf(action, scope.name);
      if (via) lines.push(`p, ${scope.name}, ${action}, ${via}`);
    }
  }
  for (const actor of world.actors) {
    if (!isLive(actor)) continue;
    for (const scope of actor.grant.scopes) lines.push(`g, ${actor.grant.id}, ${scope}`);
    for (const id of actor.grant.selectedThreadIds) lines.push(`g4, ${actor.grant.id}, ${id}`);
  }
  for (const thread of world.threads) {
    for (const member of thread.members) lines.push(`g2, ${member}, ${thread.id}`);
    if (thread.origin) lines.push(`g3, ${thread.id}, ${thread.origin}`);
    for (const removed of thread.removed) lines.push(`g5, ${thread.id}, ${removed}`);
  }
  for (const [user, set] of world.friends) for (const f of set) lines.push(`g6, ${user}, friend:${f}`);
  return lines.join('\n');
}

/** The same rules for CASL: one ability per grant, conditions on the resource's facts. */
function caslAbility(actor: AppActor): MongoAbility {
  if (!isLive(actor)) return createMongoAbility([]);
  const { userId, clientId } = actor;
  const scopes = actor.grant.scopes;
  const rules: Parameters<typeof createMongoAbility>[0] = [];
  if (scopes.has('openid') || scopes.has('profile')) {
    rules.push({ action: 'profile.read', subject: 'Account', conditions: { userId } });
  }
  if (scopes.has('messages.send')) {
    rules.push({
      action: 'app_message.send',
      subject: 'Friend',
      conditions: { ownerId: userId, isFriend: true },
    });
    rules.push({
      action: 'app_thread.post',
      subject: 'Thread',
      conditions: { originClientId: clientId, memberIds: userId },
    });
  }
  if (scopes.has('messages.read')) {
    rules.push({
      action: 'app_thread.read',
      subject: 'Thread',
      conditions: { originClientId: clientId, memberIds: userId },
    });
  }
  if (scopes.has('threads.connect')) {
    rules.push({
      action: ['app_thread.read', 'app_thread.post'],
      subject: 'Thread',
      conditions: { id: { $in: [...actor.grant.selectedThreadIds] }, memberIds: userId },
    });
  }
  rules.push({
    action: ['app_thread.read', 'app_thread.post'],
    subject: 'Thread',
    inverted: true,
    conditions: { removedClientIds: clientId },
  });
  return createMongoAbility(rules);
}

function buildQueries(world: ReturnType<typeof buildWorld>, count: number): Query[] {
  const { rnd } = world;
  const queries: Query[] = [];
  const threadFacts = new Map(
    world.threads.map((t) => [
      t.id,
      {
        kind: 'thread' as const,
        id: t.id,
        memberIds: new Set(t.members),
        originClientId: t.origin,
        removedClientIds: new Set(t.removed),
      },
    ]),
  );
  const threadSubjects = new Map(
    world.threads.map((t) => [
      t.id,
      subject('Thread', {
        id: t.id,
        memberIds: t.members,
        originClientId: t.origin,
        removedClientIds: t.removed,
      }),
    ]),
  );
  for (let i = 0; i < count; i++) {
    const index = rnd.int(world.actors.length);
    const actor = world.actors[index]!;
    const base = { actor, ability: index };
    const kind = rnd.int(4);
    if (kind === 0) {
      const userId = rnd.chance(0.9) ? actor.userId : rnd.pick(world.users);
      queries.push({
        actor,
        action: 'profile.read',
        resource: { kind: 'account', userId },
        casbin: [actor.grant.id, actor.userId, actor.clientId, 'profile.read', userId],
        casl: { ability: base.ability, subject: subject('Account', { userId }) },
      });
    } else if (kind === 1) {
      const mine = world.friends.get(actor.userId)!;
      const other = rnd.chance(0.8) && mine.size > 0 ? rnd.pick([...mine]) : rnd.pick(world.users);
      const isFriend = mine.has(other);
      queries.push({
        actor,
        action: 'app_message.send',
        resource: { kind: 'friend', ownerId: actor.userId, isFriend, connectedClientIds: new Set() },
        casbin: [actor.grant.id, actor.userId, actor.clientId, 'app_message.send', `friend:${other}`],
        casl: {
          ability: base.ability,
          subject: subject('Friend', { ownerId: actor.userId, isFriend }),
        },
      });
    } else {
      const action = kind === 2 ? 'app_thread.read' : 'app_thread.post';
      const own = world.threadsOf.get(actor.userId)!;
      const thread = rnd.chance(0.7) && own.length > 0 ? rnd.pick(own) : rnd.pick(world.threads);
      queries.push({
        actor,
        action,
        resource: threadFacts.get(thread.id)!,
        casbin: [actor.grant.id, actor.userId, actor.clientId, action, thread.id],
        casl: { ability: base.ability, subject: threadSubjects.get(thread.id)! },
      });
    }
  }
  return queries;
}

/** Runs `decide` over the queries, round and round, until `seconds` have passed; decisions a second. */
function rate(queries: readonly Query[], seconds: number, decide: (q: Query) => boolean): number {
  const CHUNK = 256;
  let decisions = 0;
  let allowed = 0;
  let at = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  let now = started;
  while (now < until) {
    for (let i = 0; i < CHUNK; i++) {
      if (decide(queries[at]!)) allowed++;
      at = at + 1 === queries.length ? 0 : at + 1;
    }
    decisions += CHUNK;
    now = performance.now();
  }
  // Used, so the decisions cannot be optimised away.
  if (allowed > decisions) throw new Error('more allowed than decided');
  return decisions / ((now - started) / 1000);
}

await workerMain<PolicyInput, PolicyOutput>(async (input) => {
  const world = buildWorld(input);
  const queries = buildQueries(world, input.queries);

  let t0 = performance.now();
  const enforcer = await newEnforcer(
    newModelFromString(CASBIN_MODEL),
    new StringAdapter(casbinPolicy(world)),
  );
  const casbinSetup = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const abilities = world.actors.map(caslAbility);
  const caslSetup = (performance.now() - t0) / 1000;

  const viaAuthorize = (q: Query) => authorize(q.actor, q.action, q.resource).allow;
  const viaCasbin = (q: Query) => enforcer.enforceSync(...q.casbin);
  const viaCasl = (q: Query) => abilities[q.casl.ability]!.can(q.action, q.casl.subject as never);

  let allowed = 0;
  for (const [i, q] of queries.entries()) {
    const expected = viaAuthorize(q);
    if (expected) allowed++;
    const got = { casbin: viaCasbin(q), casl: viaCasl(q) };
    if (got.casbin !== expected || got.casl !== expected) {
      throw new Error(
        `query ${i} (${q.action} by grant ${q.actor.grant.id}): authorize says ${expected}, casbin ${got.casbin}, casl ${got.casl}`,
      );
    }
  }
  return {
    authorize: rate(queries, input.seconds, viaAuthorize),
    casbin: rate(queries, input.seconds, viaCasbin),
    casl: rate(queries, input.seconds, viaCasl),
    queries: queries.length,
    allowed,
    setupSeconds: { casbin: +casbinSetup.toFixed(2), casl: +caslSetup.toFixed(2) },
  };
});
