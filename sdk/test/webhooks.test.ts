// Real webhook deliveries from a live Parley to a receiver on a local port, checked with the SDK
// as a partner's endpoint would: the raw body, the Parley-Signature header, the webhook secret.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EVENT_HEADER,
  ParleyWebhookError,
  SIGNATURE_HEADER,
  WEBHOOK_ID_HEADER,
  verifyWebhook,
  type WebhookEvent,
} from '../src/index.js';
import { revokeApp, say, startWorld, type World } from './live.js';

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: Uint8Array;
}

async function startReceiver() {
  const deliveries: Delivery[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ headers: request.headers, body: new Uint8Array(Buffer.concat(chunks)) });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const header = (delivery: Delivery, name: string) =>
  delivery.headers[name.toLowerCase()] as string | undefined;

describe('verifyWebhook on real deliveries from a live Parley', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let w: World;
  beforeEach(async () => {
    receiver = await startReceiver();
    w = await startWorld({ webhookUrl: receiver.url });
  });
  afterEach(async () => {
    await w.close();
    await receiver.close();
  });

  /** Sends what is due until `count` deliveries arrived. */
  async function delivered(count: number): Promise<Delivery[]> {
    for (let i = 0; i < 50 && receiver.deliveries.length < count; i++) {
      await w.t.app.webhookDispatcher.runDue();
      if (receiver.deliveries.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(receiver.deliveries).toHaveLength(count);
    return receiver.deliveries;
  }

  it('accepts a message.created delivery signed with the webhook secret, and nothing else', async () => {
    const ann = await w.connect(w.ann, ['openid', 'messages.send', 'messages.read']);
    const shared = await w.clientFor(ann).sendMessage({ to: w.bob.id, text: 'Listen to this' });
    const reply = await say(w, w.bob, shared.threadId, 'Love it');

    // One delivery for the app's own message, one for Bob's reply: each verifies.
    const deliveries = await delivered(2);
    const events: WebhookEvent[] = await Promise.all(
      deliveries.map((d) =>
        verifyWebhook({
          secret: w.app.webhookSecret,
          signatureHeader: header(d, SIGNATURE_HEADER),
          body: d.body,
        }),
      ),
    );
    const at = events.findIndex((e) => e.type === 'message.created' && e.data.message.id === reply.id);
    const delivery = deliveries[at];
    const signatureHeader = header(delivery!, SIGNATURE_HEADER);
    expect(events[at]).toMatchObject({
      type: 'message.created',
      id: header(delivery!, WEBHOOK_ID_HEADER),
      data: {
        message: { id: reply.id, threadId: shared.threadId, text: 'Love it', author: { id: w.bob.id } },
      },
    });
    expect(header(delivery!, EVENT_HEADER)).toBe('message.created');

    // The client secret is not the webhook secret; a changed body or a late check is refused.
    const refusals = await Promise.all(
      [
        verifyWebhook({ secret: w.app.clientSecret, signatureHeader, body: delivery!.body }),
        verifyWebhook({
          secret: w.app.webhookSecret,
          signatureHeader,
          body: new TextDecoder().decode(delivery!.body).replace('Love it', 'Hate it'),
        }),
        verifyWebhook({
          secret: w.app.webhookSecret,
          signatureHeader,
          body: delivery!.body,
          now: new Date(Date.now() + 10 * 60_000),
        }),
      ].map((p) =>
        p.then(
          () => undefined,
          (e: unknown) => e,
        ),
      ),
    );
    expect(refusals.map((e) => (e as ParleyWebhookError).reason)).toEqual([
      'signature_mismatch',
      'signature_mismatch',
      'timestamp_out_of_tolerance',
    ]);
  });

  it('accepts the grant.revoked delivery when the person revokes the app', async () => {
    await w.connect(w.ann, ['openid', 'messages.send']);
    await revokeApp(w, w.ann);
    const [delivery] = await delivered(1);
    const event = await verifyWebhook({
      secret: w.app.webhookSecret,
      signatureHeader: header(delivery!, SIGNATURE_HEADER),
      body: new TextDecoder().decode(delivery!.body),
    });
    expect(event).toMatchObject({
      type: 'grant.revoked',
      data: { userId: w.ann.id, clientId: w.app.clientId, grantId: expect.any(String) as unknown },
    });
  });
});
