// Partner webhooks end to end, on both databases: a real receiver on a local port, an app
// connected through the real OAuth flow, and the dispatcher driven with a manual clock.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../src/lib/webhook-signature.js';
import {
  createWebhookDispatcher,
  isDeliverableUrl,
  MAX_ATTEMPTS,
  retryDelayMs,
} from '../src/services/webhook-dispatcher.js';
import { createTransparencyService } from '../src/services/transparency.service.js';
import { createWebhookService } from '../src/services/webhook.service.js';
import { befriend, client, dialects, manualClock, signupAll, type Person } from './harness.js';
import {
  consent,
  partner,
  registerApp,
  startLiveApp,
  type LiveApp,
  type RegisteredApp,
  connectApp,
  partnerCall,
} from './oauth-harness.js';

const DAY_MS = 24 * 3600 * 1000;

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The Parley-Signature header, once. */
  signature: string | undefined;
  body: string;
}

interface WebhookBody {
  type: string;
  id: string;
  createdAt: string;
  data: Record<string, unknown> & { message?: { id: string; threadId: string; text: string | null } };
}

/**
 * A partner's webhook endpoint that records every request. `answers` are the statuses it gives
 * in turn (then 200); 'hang' never answers; a 3xx points elsewhere.
 */
async function startReceiver() {
  const requests: Received[] = [];
  const answers: (number | 'hang')[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const signature = req.headers['parley-signature'];
      requests.push({
        path: req.url ?? '',
        headers: req.headers,
        signature: typeof signature === 'string' ? signature : undefined,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = answers.shift() ?? 200;
      if (answer === 'hang') return;
      res.writeHead(answer, answer >= 300 && answer < 400 ? { location: '/elsewhere' } : {}).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    requests,
    answers,
    bodies: () => requests.map((r) => JSON.parse(r.body) as WebhookBody),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('the retry schedule', () => {
  it('doubles from 10 s, caps at 1 h, and adds at most 10 % jitter', () => {
    expect([1, 2, 3, 4, 8, 9, 20].map((n) => retryDelayMs(n, () => 0))).toEqual([
      10_000, 20_000, 40_000, 80_000, 1_280_000, 2_560_000, 3_600_000,
    ]);
    expect(retryDelayMs(1, () => 0.999)).toBe(10_999);
    expect(retryDelayMs(20, () => 0.999)).toBe(3_600_000 + 359_640);
  });
});

describe('webhook URLs', () => {
  it('are sent to over https, or plain http only on this machine', () => {
    expect(isDeliverableUrl('https://tunes.example/hooks')).toBe(true);
    expect(isDeliverableUrl('http://127.0.0.1:4000/hooks')).toBe(true);
    expect(isDeliverableUrl('http://localhost/hooks')).toBe(true);
    expect(isDeliverableUrl('http://[::1]:8/hooks')).toBe(true);
    expect(isDeliverableUrl('http://tunes.example/hooks')).toBe(false);
    expect(isDeliverableUrl('http://localhost.tunes.example/hooks')).toBe(false);
    expect(isDeliverableUrl('ftp://tunes.example/hooks')).toBe(false);
    expect(isDeliverableUrl('not a url')).toBe(false);
  });
});

describe.each(dialects())('partner webhooks on %s', (dialect) => {
  let t: LiveApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let clock: ReturnType<typeof manualClock>;
  let dev: Person;
  let ann: Person;
  let bob: Person;
  let cat: Person;
  let tunes: RegisteredApp & { webhookSecret: string };

  beforeEach(async () => {
    clock = manualClock(new Date('2026-03-01T00:00:00Z'));
    receiver = await startReceiver();
    t = await startLiveApp(dialect, { clock });
    // The tests drive the dispatcher themselves; one test shows the timer does it alone.
    await t.app.webhookDispatcher.stop();
    [dev, ann, bob, cat] = await signupAll(t.app, 'dev', 'ann', 'bob', 'cat');
    await befriend(t.app, ann, bob);
    await befriend(t.app, ann, cat);
    tunes = (await registerApp(
      t,
      dev,
      [
        { scope: 'openid', required: true },
        { scope: 'messages.send' },
        { scope: 'messages.read' },
        { scope: 'threads.connect' },
      ],
      { webhookUrl: receiver.url },
    )) as RegisteredApp & { webhookSecret: string };
  });
  afterEach(async () => {
    await t.close();
    await receiver.close();
  });

  const connect = (person: Person, scopes: string[], threadIds: string[] = []) =>
    connectApp(t, tunes, person, scopes, threadIds);

  const v1 = (token: string, method: string, path: string, body?: unknown) =>
    partnerCall(t, token, method, path, body);

  /** Posts as a person; returns the message as the API shows it. */
  async function say(person: Person, threadId: string, text: string) {
    const response = await client(t.app, person.cookie).post(`/api/threads/${threadId}/messages`, { text });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string; threadId: string; text: string }>();
  }

  async function conversation(person: Person, other: Person): Promise<string> {
    const response = await client(t.app, person.cookie).post('/api/threads', { participants: [other.id] });
    return response.json<{ id: string }>().id;
  }

  async function deliveries() {
    const response = await client(t.app, dev.cookie).get(`/api/developer/apps/${tunes.clientId}/deliveries`);
    expect(response.statusCode).toBe(200);
    return response.json<{
      items: { id: string; event: string; status: string; attempts: number; lastStatusCode: number | null }[];
    }>().items;
  }

  const rows = () => t.storage.repos.webhooks.listForClient(tunes.clientId);
  const dispatcher = () => t.app.webhookDispatcher;

  it('message.created: one signed delivery per app for a conversation it may read, none for others', async () => {
    const annTokens = await connect(ann, ['openid', 'messages.send', 'messages.read']);
    await connect(bob, ['openid', 'messages.read']);
    const sent = await v1(annTokens.access_token, 'POST', '/messages', { to: bob.id, text: 'Track 1' });
    expect(sent.status).toBe(201);
    const { threadId } = (await sent.json()) as { threadId: string };
    const reply = await say(bob, threadId, 'Love it');
    // Ann and Bob's own conversation was not started through Tunes: Tunes learns nothing of it.
    await say(ann, await conversation(ann, bob), 'private');

    expect(await dispatcher().runDue()).toEqual({ delivered: 2, retrying: 0, failed: 0 });
    // Both Ann and Bob connected Tunes, yet each message reaches it once.
    expect(receiver.requests).toHaveLength(2);
    const bodies = receiver.bodies();
    // Sent in parallel: arrival order is not promised (receivers order by createdAt).
    expect(bodies.map((b) => b.data.message?.text).sort()).toEqual(['Love it', 'Track 1']);
    // The message exactly as people see it.
    const replyIndex = bodies.findIndex((b) => b.data.message?.text === 'Love it');
    expect(bodies[replyIndex]).toEqual({
      type: 'message.created',
      id: receiver.requests[replyIndex]!.headers['parley-webhook-id'],
      createdAt: clock.now().toISOString(),
      data: { message: reply },
    });
    for (const request of receiver.requests) {
      const body = JSON.parse(request.body) as WebhookBody;
      expect(request.path).toBe('/hooks');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['parley-event']).toBe('message.created');
      expect(request.headers['parley-webhook-id']).toBe(body.id);
      expect(request.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const verified = verifyWebhook(tunes.webhookSecret, request.body, request.signature, {
        now: clock.now(),
      });
      expect(verified).toEqual({ isValid: true, timestamp: Math.floor(clock.now().getTime() / 1000) });
      // Signed with the webhook secret, not the client secret.
      expect(
        verifyWebhook(tunes.clientSecret, request.body, request.signature, {
          now: clock.now(),
        }).isValid,
      ).toBe(false);
    }

    const listed = await deliveries();
    expect(listed.map((d) => [d.event, d.status, d.attempts, d.lastStatusCode])).toEqual([
      ['message.created', 'delivered', 1, 200],
      ['message.created', 'delivered', 1, 200],
    ]);
    // Nothing is sent twice.
    expect(await dispatcher().runDue()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.requests).toHaveLength(2);
  });

  it('threads.connect: only the selected conversation, and nothing once a participant removed the app', async () => {
    const withBob = await conversation(ann, bob);
    const withCat = await conversation(ann, cat);
    await connect(ann, ['openid', 'threads.connect'], [withCat]);
    await say(cat, withCat, 'for Tunes');
    await say(bob, withBob, 'not for Tunes');
    await dispatcher().runDue();
    expect(receiver.bodies().map((b) => b.data.message?.text)).toEqual(['for Tunes']);

    const removed = await client(t.app, cat.cookie).delete(`/api/threads/${withCat}/apps/${tunes.clientId}`);
    expect(removed.statusCode).toBe(204);
    await say(cat, withCat, 'after removal');
    await dispatcher().runDue();
    expect(receiver.requests).toHaveLength(1);
    expect(await rows()).toHaveLength(1);
  });

  it('sends only the events the app asked for: no messages, and no log entries for them, to an app that wants grant.*', async () => {
    const edited = await client(t.app, dev.cookie).patch(`/api/developer/apps/${tunes.clientId}`, {
      webhookEvents: ['grant.revoked', 'grant.expired'],
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<{ webhookEvents: string[] }>().webhookEvents).toEqual([
      'grant.revoked',
      'grant.expired',
    ]);
    const tokens = await connect(ann, ['openid', 'messages.send', 'messages.read']);
    const sent = (await (
      await v1(tokens.access_token, 'POST', '/messages', { to: bob.id, text: 'hello' })
    ).json()) as { threadId: string };
    await say(bob, sent.threadId, 'hi back');
    await dispatcher().runDue();
    expect(receiver.requests).toHaveLength(0);
    // Bob's reply was never carried out of Parley, so nothing says Tunes received it.
    const bobsLog = (await client(t.app, bob.cookie).get('/api/access-log')).json<{
      items: { entry: { action: string } }[];
    }>();
    expect(bobsLog.items.map((i) => i.entry.action)).not.toContain('webhook.message_created');

    await client(t.app, ann.cookie).delete(`/api/apps/${tunes.clientId}`);
    await dispatcher().runDue();
    expect(receiver.requests.map((r) => r.headers['parley-event'])).toEqual(['grant.revoked']);

    const unknown = await client(t.app, dev.cookie).patch(`/api/developer/apps/${tunes.clientId}`, {
      webhookEvents: ['message.deleted'],
    });
    expect(unknown.statusCode).toBe(400);
  });

  it('revoking in Apps & access queues grant.revoked, and the conversation goes quiet', async () => {
    const tokens = await connect(ann, ['openid', 'messages.send', 'messages.read']);
    const { grantId } = (await (await v1(tokens.access_token, 'GET', '/me/permissions')).json()) as {
      grantId: string;
    };
    const sent = (await (
      await v1(tokens.access_token, 'POST', '/messages', { to: bob.id, text: 'hello' })
    ).json()) as { threadId: string };
    await dispatcher().runDue();
    expect(receiver.requests).toHaveLength(1);

    const revoked = await client(t.app, ann.cookie).delete(`/api/apps/${tunes.clientId}`);
    expect(revoked.statusCode).toBe(204);
    await say(bob, sent.threadId, 'still there?');
    await dispatcher().runDue();

    expect(receiver.requests).toHaveLength(2);
    const request = receiver.requests[1]!;
    expect(request.headers['parley-event']).toBe('grant.revoked');
    expect(JSON.parse(request.body)).toEqual({
      type: 'grant.revoked',
      id: request.headers['parley-webhook-id'],
      createdAt: clock.now().toISOString(),
      data: { grantId, userId: ann.id, clientId: tunes.clientId },
    });
    expect(
      verifyWebhook(tunes.webhookSecret, request.body, request.signature, {
        now: clock.now(),
      }).isValid,
    ).toBe(true);
    expect((await deliveries()).map((d) => d.event).sort()).toEqual(['grant.revoked', 'message.created']);
  });

  it('a grant that expired unused is announced once, by the sweep or by a refused token', async () => {
    const tokens = await connect(ann, ['openid']);
    clock.advance(90 * DAY_MS - 1000);
    expect(await dispatcher().sweepExpired()).toBe(0);
    clock.advance(1000);

    // The refused token notices first, then the sweep, again and again: one announcement.
    expect((await v1(tokens.access_token, 'GET', '/me')).status).toBe(401);
    expect((await v1(tokens.access_token, 'GET', '/me')).status).toBe(401);
    expect(await dispatcher().sweepExpired()).toBe(0);
    await dispatcher().runDue();
    clock.advance(DAY_MS);
    expect(await dispatcher().sweepExpired()).toBe(0);
    await dispatcher().runDue();

    expect(receiver.bodies().map((b) => [b.type, b.data.userId, b.data.clientId])).toEqual([
      ['grant.expired', ann.id, tunes.clientId],
    ]);
  });

  it('the sweep alone announces a grant nobody uses any more', async () => {
    await connect(ann, ['openid']);
    await connect(bob, ['openid']);
    clock.advance(90 * DAY_MS);
    expect(await dispatcher().sweepExpired()).toBe(2);
    expect(await dispatcher().sweepExpired()).toBe(0);
    expect(await dispatcher().runDue()).toEqual({ delivered: 2, retrying: 0, failed: 0 });
    expect(receiver.bodies().map((b) => b.type)).toEqual(['grant.expired', 'grant.expired']);
    expect(new Set(receiver.bodies().map((b) => b.data.userId))).toEqual(new Set([ann.id, bob.id]));
  });

  it('retries with growing backoff until a 2xx: 500, 500, 200 → delivered after 3 attempts', async () => {
    receiver.answers.push(500, 500);
    const tokens = await connect(ann, ['openid', 'messages.send', 'messages.read']);
    await v1(tokens.access_token, 'POST', '/messages', { to: bob.id, text: 'retry me' });

    const attemptedAt = clock.now().getTime();
    expect(await dispatcher().runDue()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    let [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500 });
    const firstDelay = Date.parse(row!.next_attempt_at!) - attemptedAt;
    expect(firstDelay).toBeGreaterThanOrEqual(10_000);
    expect(firstDelay).toBeLessThanOrEqual(11_000);

    // Not before its time.
    clock.advance(firstDelay - 1);
    expect(await dispatcher().runDue()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    clock.advance(1);
    const secondAt = clock.now().getTime();
    expect(await dispatcher().runDue()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 2, last_status_code: 500 });
    const secondDelay = Date.parse(row!.next_attempt_at!) - secondAt;
    expect(secondDelay).toBeGreaterThanOrEqual(20_000);
    expect(secondDelay).toBeLessThanOrEqual(22_000);
    expect(secondDelay).toBeGreaterThan(firstDelay);

    clock.advance(secondDelay);
    expect(await dispatcher().runDue()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    [row] = await rows();
    expect(row).toMatchObject({
      status: 'delivered',
      attempts: 3,
      last_status_code: 200,
      last_error: null,
      next_attempt_at: null,
      delivered_at: clock.now().toISOString(),
    });

    // The same delivery each time: one id, one body, a fresh valid signature.
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.headers['parley-webhook-id']))).toEqual(new Set([row!.id]));
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    const last = receiver.requests[2]!;
    expect(verifyWebhook(tunes.webhookSecret, last.body, last.signature, { now: clock.now() }).isValid).toBe(
      true,
    );

    expect(await deliveries()).toEqual([
      {
        id: row!.id,
        event: 'message.created',
        status: 'delivered',
        attempts: 3,
        lastStatusCode: 200,
        createdAt: row!.created_at,
        deliveredAt: clock.now().toISOString(),
      },
    ]);
    // Another person's console does not show them.
    const foreign = await client(t.app, ann.cookie).get(`/api/developer/apps/${tunes.clientId}/deliveries`);
    expect(foreign.statusCode).toBe(404);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts, and never follows a redirect`, async () => {
    receiver.answers.push(...Array.from({ length: MAX_ATTEMPTS }, () => 307));
    const tokens = await connect(ann, ['openid', 'messages.send', 'messages.read']);
    await v1(tokens.access_token, 'POST', '/messages', { to: bob.id, text: 'nobody home' });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const before = clock.now().getTime();
      await dispatcher().runDue();
      const [row] = await rows();
      expect(row).toMatchObject({ attempts: attempt, last_status_code: 307 });
      if (attempt < MAX_ATTEMPTS) {
        delays.push(Date.parse(row!.next_attempt_at!) - before);
        clock.advance(delays.at(-1)!);
      } else {
        expect(row).toMatchObject({ status: 'failed', next_attempt_at: null });
      }
    }
    // 10 s, doubling: 10, 20, 40, 80, 160, 320, 640 s, each plus at most 10 % jitter.
    delays.forEach((delay, i) => {
      const base = 10_000 * 2 ** i;
      expect(delay).toBeGreaterThanOrEqual(base);
      expect(delay).toBeLessThanOrEqual(base * 1.1);
    });
    expect(receiver.requests.map((r) => r.path)).toEqual(
      Array.from({ length: MAX_ATTEMPTS }, () => '/hooks'),
    );
    clock.advance(DAY_MS);
    expect(await dispatcher().runDue()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect((await deliveries())[0]).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
  });

  it('a retry is not sent once the app may no longer read the conversation', async () => {
    receiver.answers.push(503);
    const tokens = await connect(ann, ['openid', 'messages.send', 'messages.read']);
    await v1(tokens.access_token, 'POST', '/messages', { to: bob.id, text: 'first try fails' });
    await dispatcher().runDue();
    expect(receiver.requests).toHaveLength(1);

    expect((await client(t.app, ann.cookie).delete(`/api/apps/${tunes.clientId}`)).statusCode).toBe(204);
    clock.advance(60_000);
    await dispatcher().runDue();
    // grant.revoked goes out; the message does not go out again.
    expect(receiver.bodies().map((b) => b.type)).toEqual(['message.created', 'grant.revoked']);
    const message = (await rows()).find((r) => r.event === 'message.created');
    expect(message).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'the app may no longer read this conversation',
    });
  });

  it('never sends to a plain-http address off this machine, whatever registration let through', async () => {
    await expect(
      registerApp(t, dev, [{ scope: 'openid', required: true }], {
        name: 'Flicks',
        webhookUrl: 'http://flicks.example/hooks',
      }),
    ).rejects.toThrow(/400/);
    const flicks = await registerApp(t, dev, [{ scope: 'openid', required: true }], {
      name: 'Flicks',
      webhookUrl: 'https://flicks.example/hooks',
    });
    // As if an older registration had let it through: the dispatcher refuses at send time too.
    await t.storage.repos.apps.update(flicks.clientId, { webhook_url: 'http://flicks.example/hooks' });
    const p = await partner(t, flicks);
    const { url } = await p.authorizationUrl('openid');
    await consent(t, ann, url, { scopes: ['openid'] });
    expect((await client(t.app, ann.cookie).delete(`/api/apps/${flicks.clientId}`)).statusCode).toBe(204);
    expect(await dispatcher().runDue()).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    expect(await t.storage.repos.webhooks.listForClient(flicks.clientId)).toMatchObject([
      {
        event: 'grant.revoked',
        status: 'failed',
        attempts: 0,
        last_error: 'the webhook URL must use https (http only on localhost)',
      },
    ]);
  });

  it('records a receiver that does not answer in time', async () => {
    receiver.answers.push('hang');
    const tokens = await connect(ann, ['openid', 'messages.send', 'messages.read']);
    await v1(tokens.access_token, 'POST', '/messages', { to: bob.id, text: 'slow' });
    // A dispatcher of its own with a short timeout (the platform's is 5 s).
    const quick = createWebhookDispatcher({
      storage: t.storage,
      clock,
      grantExpiryDays: t.config.grantExpiryDays,
      webhooks: createWebhookService({
        clock,
        grantExpiryDays: t.config.grantExpiryDays,
        accessLog: createTransparencyService({
          storage: t.storage,
          clock,
          origin: 'test.example/transparency',
        }),
      }),
      timeoutMs: 200,
    });
    expect(await quick.runDue()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect((await rows())[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: null,
      last_error: 'no answer within 0.2 s',
    });
  });

  it('delivers on its own once the platform is ready (the dispatcher timer)', async () => {
    dispatcher().start();
    const tokens = await connect(ann, ['openid', 'messages.send', 'messages.read']);
    await v1(tokens.access_token, 'POST', '/messages', { to: bob.id, text: 'by itself' });
    await expect.poll(() => receiver.requests.length, { timeout: 5_000, interval: 50 }).toBe(1);
    await expect
      .poll(async () => (await rows())[0]?.status, { timeout: 5_000, interval: 50 })
      .toBe('delivered');
  });
});
