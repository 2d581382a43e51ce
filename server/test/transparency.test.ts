// The transparency log end to end, on both databases: partner accesses are logged before the
// response leaves (Access-Receipt), every data subject reads their entries, and the published
// heads and proofs verify with @parley/tlog.
import {
  decodeBase64,
  hashLeaf,
  openCheckpoint,
  parseVerifierKey,
  verifyConsistency,
  verifyInclusion,
} from '@parley/tlog';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLog } from '../src/services/log-verify.js';
import { createTransparencyService, logOriginOf } from '../src/services/transparency.service.js';
import { systemClock } from '../src/lib/clock.js';
import { befriend, client, dialects, signupAll, type Person } from './harness.js';
import {
  connectApp,
  partnerCall,
  registerApp,
  startLiveApp,
  type LiveApp,
  type RegisteredApp,
} from './oauth-harness.js';

interface LogItem {
  index: number;
  leaf: string;
  entry: {
    app: string;
    action: string;
    actor: string;
    subjects: string[];
    messages: string[];
    threads: string[];
  };
}

const bytes = (b64: string) => decodeBase64(b64)!;

describe.each(dialects())('the transparency log on %s', (dialect) => {
  let t: LiveApp;
  let dev: Person;
  let ann: Person;
  let bob: Person;
  let cat: Person;
  let tunes: RegisteredApp;

  beforeEach(async () => {
    t = await startLiveApp(dialect);
    [dev, ann, bob, cat] = await signupAll(t.app, 'dev', 'ann', 'bob', 'cat');
    await befriend(t.app, ann, bob);
    tunes = await registerApp(t, dev, [
      { scope: 'openid', required: true },
      { scope: 'messages.send' },
      { scope: 'messages.read' },
    ]);
  });
  afterEach(() => t.close());

  const accessLog = async (p: Person) =>
    (await client(t.app, p.cookie).get('/api/access-log')).json<{ items: LogItem[] }>().items;

  it('logs each partner access before responding, for every data subject to read', async () => {
    const { access_token } = await connectApp(t, tunes, ann, ['openid', 'messages.send', 'messages.read']);
    const sent = await partnerCall(t, access_token, 'POST', '/messages', { to: bob.id, text: 'Track 3' });
    const sendReceipt = Number(sent.headers.get('access-receipt'));
    const { threadId, id: messageId } = (await sent.json()) as { threadId: string; id: string };
    await client(t.app, bob.cookie).post(`/api/threads/${threadId}/messages`, { text: 'Nice' });
    const read = await partnerCall(t, access_token, 'GET', `/threads/${threadId}/messages`);
    const readReceipt = Number(read.headers.get('access-receipt'));
    expect(readReceipt).toBeGreaterThan(sendReceipt);

    // Ann granted the access; Bob's message was read and he received one: both see it.
    const annLog = await accessLog(ann);
    const bobLog = await accessLog(bob);
    for (const log of [annLog, bobLog]) {
      expect(log.map((i) => i.index)).toEqual(expect.arrayContaining([readReceipt, sendReceipt]));
    }
    const readEntry = bobLog.find((i) => i.index === readReceipt)!;
    expect(readEntry.entry).toMatchObject({
      app: tunes.clientId,
      action: 'app_thread.read',
      actor: ann.id,
      threads: [threadId],
    });
    expect(readEntry.entry.subjects).toEqual([ann.id, bob.id].sort());
    expect(readEntry.entry.messages).toContain(messageId);
    // The leaf bytes are exactly the entry (canonical JSON), so anyone can check the hash.
    expect(JSON.parse(Buffer.from(readEntry.leaf, 'base64').toString('utf8'))).toEqual(readEntry.entry);
    // Cat was not touched: nothing about this reaches her.
    expect(await accessLog(cat)).toEqual([]);

    // The developer sees the app's own entries.
    const devLog = (
      await client(t.app, dev.cookie).get(`/api/developer/apps/${tunes.clientId}/access-log`)
    ).json<{ items: LogItem[] }>();
    expect(devLog.items.map((i) => i.index)).toEqual(expect.arrayContaining([readReceipt, sendReceipt]));
  });

  it('publishes signed checkpoints and proofs that verify, and heads that extend each other', async () => {
    const { access_token } = await connectApp(t, tunes, ann, ['openid', 'messages.send']);
    await partnerCall(t, access_token, 'POST', '/messages', { to: bob.id, text: 'one' });
    const first = await fetchHead();
    for (let i = 0; i < 4; i++)
      await partnerCall(t, access_token, 'POST', '/messages', { to: bob.id, text: `more ${i}` });
    await new Promise((r) => setTimeout(r, 700)); // one signer tick (merge delay ≤ 500 ms)
    const second = await fetchHead();
    expect(second.size).toBeGreaterThan(first.size);

    // Every entry about Ann is included in the latest head.
    for (const item of await accessLog(ann)) {
      if (item.index >= second.size) continue;
      const proof = (await (
        await fetch(`${t.baseUrl}/v1/transparency/proof/inclusion?index=${item.index}&size=${second.size}`)
      ).json()) as {
        hashes: string[];
      };
      await verifyInclusion({
        leafHash: await hashLeaf(bytes(item.leaf)),
        index: item.index,
        treeSize: second.size,
        proof: proof.hashes.map(bytes),
        rootHash: second.rootHash,
      });
    }
    const consistency = (await (
      await fetch(`${t.baseUrl}/v1/transparency/proof/consistency?from=${first.size}&to=${second.size}`)
    ).json()) as {
      hashes: string[];
    };
    await verifyConsistency({
      oldSize: first.size,
      newSize: second.size,
      oldRoot: first.rootHash,
      newRoot: second.rootHash,
      proof: consistency.hashes.map(bytes),
    });
  });

  it("gives an app its own entries by receipt, with the leaf bytes, and nobody else's", async () => {
    const annTokens = await connectApp(t, tunes, ann, ['openid', 'messages.send']);
    const bobTokens = await connectApp(t, tunes, bob, ['openid', 'messages.send']);
    const sent = await partnerCall(t, annTokens.access_token, 'POST', '/messages', {
      to: bob.id,
      text: 'Hi',
    });
    const receipt = Number(sent.headers.get('access-receipt'));

    const own = await partnerCall(t, annTokens.access_token, 'GET', `/transparency/entries/${receipt}`);
    expect(own.status).toBe(200);
    const item = (await own.json()) as LogItem;
    expect(item).toMatchObject({ index: receipt, entry: { app: tunes.clientId, actor: ann.id } });
    const annItem = (await accessLog(ann)).find((i) => i.index === receipt)!;
    expect(item.leaf).toBe(annItem.leaf);

    // The same app acting for someone else, a missing index and a malformed one.
    const other = await partnerCall(t, bobTokens.access_token, 'GET', `/transparency/entries/${receipt}`);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { code: string }).code).toBe('entry_not_found');
    const missing = await partnerCall(t, annTokens.access_token, 'GET', `/transparency/entries/999999`);
    expect(missing.status).toBe(404);
    const malformed = await partnerCall(t, annTokens.access_token, 'GET', `/transparency/entries/abc`);
    expect(malformed.status).toBe(400);
    const anonymous = await fetch(`${t.baseUrl}/v1/transparency/entries/${receipt}`);
    expect(anonymous.status).toBe(401);
  });

  it('answers out-of-range and malformed proof requests with 400', async () => {
    const { access_token } = await connectApp(t, tunes, ann, ['openid']);
    await partnerCall(t, access_token, 'GET', '/me');
    const { size } = await fetchHead();
    for (const query of [
      `inclusion?index=${size}&size=${size}`,
      `inclusion?index=0&size=${size + 100}`,
      'inclusion?index=-1&size=1',
      'inclusion?index=abc&size=1',
      'inclusion?size=1',
      `consistency?from=${size}&to=${size - 1}`,
      `consistency?from=0&to=${size}`,
      'consistency?from=1&to=x',
    ]) {
      const response = await fetch(`${t.baseUrl}/v1/transparency/proof/${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type'), query).toMatch(/problem\+json/);
    }
  });

  it('parley log verify passes on an honest log and names the first bad index when a leaf, node or checkpoint changes', async () => {
    const origin = logOriginOf(t.baseUrl);
    // The same signer the server runs (its key is in the database), driven by hand.
    const signer = createTransparencyService({ storage: t.storage, clock: systemClock, origin });
    // A head of the empty tree first, as a signer tick before the first access makes.
    await signer.signPending();
    const { access_token } = await connectApp(t, tunes, ann, ['openid', 'messages.send']);
    for (let i = 0; i < 6; i++) {
      await partnerCall(t, access_token, 'POST', '/messages', { to: bob.id, text: `m${i}` });
      if (i % 2 === 0) await signer.signPending(); // publish heads along the way
    }
    await signer.signPending();
    const honest = await verifyLog(t.storage);
    expect(honest).toMatchObject({ ok: true, entries: 6 });
    expect(honest.checkpoints).toBeGreaterThanOrEqual(3);

    const db = t.storage.db;
    const leaf2 = await db
      .selectFrom('tlog_entries')
      .select('leaf')
      .where('idx', '=', 2)
      .executeTakeFirstOrThrow();
    const forged = Buffer.from(
      Buffer.from(leaf2.leaf, 'base64').toString('utf8').replace('"v":1', '"v":2'),
    ).toString('base64');
    await db.updateTable('tlog_entries').set({ leaf: forged }).where('idx', '=', 2).execute();
    expect((await verifyLog(t.storage)).problem).toMatch(/^entry 2:/);
    await db.updateTable('tlog_entries').set({ leaf: leaf2.leaf }).where('idx', '=', 2).execute();

    const node = await db
      .selectFrom('tlog_nodes')
      .selectAll()
      .where('level', '=', 1)
      .where('idx', '=', 1)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('tlog_nodes')
      .set({ hash: Buffer.alloc(32).toString('base64') })
      .where('level', '=', 1)
      .where('idx', '=', 1)
      .execute();
    expect((await verifyLog(t.storage)).problem).toMatch(/^entry 3: stored node 1\/1/);
    await db
      .updateTable('tlog_nodes')
      .set({ hash: node.hash })
      .where('level', '=', 1)
      .where('idx', '=', 1)
      .execute();

    const head = await db
      .selectFrom('tlog_checkpoints')
      .selectAll()
      .orderBy('size', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('tlog_checkpoints')
      .set({ note: head.note.replace(/\n(\d+)\n/, (_m, n: string) => `\n${Number(n) + 1}\n`) })
      .where('size', '=', head.size)
      .execute();
    expect((await verifyLog(t.storage)).problem).toMatch(/^checkpoint \d+:/);
  });

  async function fetchHead() {
    const note = await (await fetch(`${t.baseUrl}/v1/transparency/checkpoint`)).text();
    const key = await (await fetch(`${t.baseUrl}/v1/transparency/key`)).text();
    const opened = await openCheckpoint(note, {
      origin: logOriginOf(t.baseUrl),
      verifiers: [await parseVerifierKey(key)],
    });
    return opened.checkpoint;
  }
});
