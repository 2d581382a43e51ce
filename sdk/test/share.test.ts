// The share dialog round trip against a live Parley: the URL the SDK builds carries what the
// dialog needs, Parley sends the card "via" the app and comes back to the redirect URI, and the
// app (messages.send only) follows up in that conversation and unsends its card.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseShareReturn, shareUrl, type Card, type Message } from '../src/index.js';
import { client, REDIRECT_URI, startWorld, type World } from './live.js';

describe('the share dialog with a live Parley', () => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld();
  });
  afterEach(() => w.close());

  it('sends the card via the app, comes back with state, conversations and messages', async () => {
    const card: Card = { kind: 'show', title: 'Night Train', url: 'https://flicks.example/night-train' };
    const url = shareUrl({
      parleyUrl: w.t.baseUrl,
      clientId: w.app.clientId,
      card,
      redirectUri: REDIRECT_URI,
      state: 'share-42',
    });
    // What the dialog page does with the URL's parameters once the person picked Bob.
    const params = url.searchParams;
    const app = await client(w.t.app, w.ann.cookie).get(`/api/share/apps/${params.get('client_id')}`);
    expect(app.json()).toMatchObject({ clientId: w.app.clientId, name: 'Tunes' });
    const shared = await client(w.t.app, w.ann.cookie).post('/api/share', {
      clientId: params.get('client_id'),
      card: JSON.parse(params.get('card')!) as unknown,
      friendIds: [w.bob.id],
      redirectUri: params.get('redirect_uri'),
      state: params.get('state'),
    });
    expect(shared.statusCode).toBe(201);
    const { items, returnTo } = shared.json<{ items: Message[]; returnTo: string }>();
    expect(items[0]).toMatchObject({ card, via: { clientId: w.app.clientId } });

    const back = parseShareReturn(returnTo);
    expect(back).toEqual({ state: 'share-42', threadIds: [items[0]!.threadId], messageIds: [items[0]!.id] });

    const tokens = await w.connect(w.ann, ['openid', 'messages.send']);
    const api = w.clientFor(tokens);
    await expect(
      api.sendMessage({ to: back.threadIds[0]!, text: 'Episode 2 is better' }),
    ).resolves.toMatchObject({
      threadId: back.threadIds[0],
    });
    await expect(api.deleteMessage(back.messageIds[0]!)).resolves.toBeUndefined();
  });
});
