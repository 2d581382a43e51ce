// The whole scope catalogue (DESIGN.md "Scopes"), in one place. The consent screen,
// /v1/me/permissions, the developer console, the docs and `authorize` all read it: the
// plain-language lines a person agrees to are the same facts the decision uses.

/** What an app may do for a person, once granted. Person-only actions are not here. */
export type AppAction =
  /** Reading its own grant (/v1/me/permissions): every live grant may, whatever its scopes. */
  | 'grant.read'
  | 'profile.read'
  | 'app_friends.read'
  | 'app_message.send'
  | 'app_message.delete'
  | 'app_thread.list'
  | 'app_thread.read'
  | 'app_thread.post'
  | 'app_events.subscribe';

export type ScopeName =
  | 'openid'
  | 'profile'
  | 'offline_access'
  | 'friends.read'
  | 'messages.send'
  | 'messages.read'
  | 'threads.connect';

export interface ScopeDefinition {
  readonly name: ScopeName;
  /** A short title for lists. */
  readonly title: string;
  /** What the scope allows, in words a person understands. */
  readonly can: readonly string[];
  /** What it never allows, just as plainly. */
  readonly cannot: readonly string[];
  /** The app actions it permits (each still limited by the facts `authorize` checks). */
  readonly actions: readonly AppAction[];
  /** Protocol scopes oidc-provider handles itself; the rest belong to the Parley API. */
  readonly isProtocolScope: boolean;
}

export const SCOPES: Readonly<Record<ScopeName, ScopeDefinition>> = {
  openid: {
    name: 'openid',
    title: 'Know who you are on Parley',
    can: ['See your Parley id, so the app can recognise you next time'],
    cannot: ['See anything else about you'],
    actions: ['profile.read'],
    isProtocolScope: true,
  },
  profile: {
    name: 'profile',
    title: 'See your profile',
    can: ['See your username, display name and avatar'],
    cannot: ['See your friends, conversations or messages'],
    actions: ['profile.read'],
    isProtocolScope: true,
  },
  offline_access: {
    name: 'offline_access',
    title: 'Stay connected while you are away',
    can: ['Keep using what you granted while you are not using the app, until you revoke it or it expires'],
    cannot: ['Do anything beyond the other permissions you granted'],
    actions: [],
    isProtocolScope: true,
  },
  'friends.read': {
    name: 'friends.read',
    title: 'See which friends also use this app',
    can: ['See those of your friends who have also connected this app'],
    cannot: ['See your other friends', 'See your friend requests'],
    actions: ['app_friends.read'],
    isProtocolScope: false,
  },
  'messages.send': {
    name: 'messages.send',
    title: 'Send messages as you',
    can: [
      'Send a message or a share card as you, to a friend you pick, shown as "sent via" the app',
      'Delete messages the app itself sent',
    ],
    cannot: ['Read any conversation', "Delete anyone's messages but its own"],
    actions: ['app_message.send', 'app_thread.post', 'app_message.delete'],
    isProtocolScope: false,
  },
  'messages.read': {
    name: 'messages.read',
    title: 'Read conversations started through this app',
    can: ['Read the messages and participants of conversations started through this app'],
    cannot: ['Read any other conversation'],
    actions: ['app_thread.list', 'app_thread.read', 'app_events.subscribe'],
    isProtocolScope: false,
  },
  'threads.connect': {
    name: 'threads.connect',
    title: 'Join conversations you choose',
    can: [
      'Read and post in the conversations you choose when you connect it',
      'Everyone else in those conversations sees the app there and can remove it',
    ],
    cannot: ['See conversations you did not choose'],
    actions: ['app_thread.list', 'app_thread.read', 'app_thread.post', 'app_events.subscribe'],
    isProtocolScope: false,
  },
};

export const SCOPE_NAMES = Object.keys(SCOPES) as ScopeName[];

export function isScopeName(value: string): value is ScopeName {
  return Object.hasOwn(SCOPES, value);
}

/** The actions a set of granted scopes permits. */
export function actionsOf(scopes: Iterable<string>): Set<AppAction> {
  const actions = new Set<AppAction>();
  for (const scope of scopes) {
    if (isScopeName(scope)) for (const action of SCOPES[scope].actions) actions.add(action);
  }
  return actions;
}
