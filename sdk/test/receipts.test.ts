// ReceiptVerifier against a real Parley's transparency log: a real receipt verifies; a leaf
// changed in the database, a wrong key, a forked history and someone else's entry do not.
import { generateSignerKey, signCheckpoint, parseSignerKey, encodeBase64, sha256 } from '@parley/tlog';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ParleyVerificationError,
  ReceiptVerifier,
  receiptOf,
  type ParleyClient,
  type TokenSet,
} from '../src/index.js';
import { startWorld, type World } from './live.js';

async function failure(promise: Promise<unknown>): Promise<ParleyVerificationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ParleyVerificationError);
  return error as ParleyVerificationError;
}

describe('ReceiptVerifier against a live Parley', () => {
  let w: World;
  let ann: TokenSet;
  let client: ParleyClient;
  const card = { kind: 'song' as const, title: 'So What', url: 'https://tunes.example/so-what' };

  beforeEach(async () => {
    w = await startWorld();
    ann = await w.connect(w.ann, ['openid', 'profile', 'messages.send', 'messages.read']);
    client = w.clientFor(ann);
  });
  afterEach(() => w.close());

  it('verifies a fresh receipt (waiting for its checkpoint), then later ones against the head it saw', async () => {
    const verifier = new ReceiptVerifier({ client });
    expect(verifier.lastSeen).toBeUndefined();
    const message = await client.sendMessage({ to: w.bob.id, card });
    const [index] = receiptOf(message)!;
    // Verified at once: the checkpoint covering the entry is signed within 500 ms.
    const verified = await verifier.verify(index!);
    expect(verified).toEqual({
      index,
      treeSize: expect.any(Number) as unknown,
      rootHash: expect.any(String) as unknown,
    });
    expect(verified.treeSize).toBeGreaterThan(index!);
    expect(verifier.lastSeen).toEqual({ size: verified.treeSize, rootHash: verified.rootHash });

    // More entries: the new head must extend the one seen (a consistency proof is checked).
    const page = await client.messages(message.threadId);
    const me = await client.me();
    const [pageIndex] = receiptOf(page)!;
    const [meIndex] = receiptOf(me)!;
    const [a, b] = await Promise.all([verifier.verify(pageIndex!), verifier.verify(meIndex!)]);
    expect(a.treeSize).toBeGreaterThan(pageIndex!);
    expect(b.treeSize).toBeGreaterThan(meIndex!);
    expect(verifier.lastSeen!.size).toBeGreaterThan(verified.treeSize);
    // An old receipt verifies against the newest head too.
    await expect(verifier.verify(index!)).resolves.toMatchObject({ treeSize: verifier.lastSeen!.size });

    // Persisted and given to a new verifier, with the key pinned.
    const again = new ReceiptVerifier({
      client,
      verifierKey: await client.transparency.key(),
      lastSeen: verifier.lastSeen!,
    });
    await expect(again.verify(meIndex!)).resolves.toMatchObject({ index: meIndex });
  });

  it('fails on a leaf changed in the log’s database after the fact', async () => {
    const message = await client.sendMessage({ to: w.bob.id, text: 'the original' });
    const [index] = receiptOf(message)!;
    await new ReceiptVerifier({ client }).verify(index!);

    const row = await w.t.storage.db
      .selectFrom('tlog_entries')
      .select('leaf')
      .where('idx', '=', index!)
      .executeTakeFirstOrThrow();
    const leaf = JSON.parse(Buffer.from(row.leaf, 'base64').toString('utf8')) as { messages: string[] };
    leaf.messages = ['01900000-0000-7000-8000-000000000000'];
    const forged = Buffer.from(JSON.stringify(leaf)).toString('base64');
    await w.t.storage.db
      .updateTable('tlog_entries')
      .set({ leaf: forged })
      .where('idx', '=', index!)
      .execute();

    const error = await failure(new ReceiptVerifier({ client }).verify(index!));
    expect(error.step).toBe('inclusion');
    expect(error.message).toMatch(new RegExp(`entry ${index} is not in the signed tree`));
  });

  it('fails on a checkpoint that the pinned key did not sign', async () => {
    const message = await client.sendMessage({ to: w.bob.id, card });
    const [index] = receiptOf(message)!;
    const logKey = await client.transparency.key();
    // Another key with the log's very name: the note's signature is not by it.
    const impostor = await generateSignerKey(logKey.split('+')[0]!);
    const error = await failure(
      new ReceiptVerifier({ client, verifierKey: impostor.verifierKey }).verify(index!),
    );
    expect(error.step).toBe('checkpoint');
    const malformed = await failure(new ReceiptVerifier({ client, verifierKey: 'not a key' }).verify(index!));
    expect(malformed.step).toBe('checkpoint');
  });

  it('fails when the log’s history does not extend the head seen before', async () => {
    const message = await client.sendMessage({ to: w.bob.id, card });
    const [index] = receiptOf(message)!;
    const seen = await new ReceiptVerifier({ client }).verify(index!);
    // A head of the same size with another root: a fork.
    const forkRoot = encodeBase64(await sha256(new TextEncoder().encode('another history')));
    const forked = new ReceiptVerifier({ client, lastSeen: { size: seen.treeSize, rootHash: forkRoot } });
    expect((await failure(forked.verify(index!))).step).toBe('consistency');
    // A head "seen" bigger than anything the log signed: the log would have shrunk.
    const ahead = new ReceiptVerifier({
      client,
      lastSeen: { size: seen.treeSize + 1000, rootHash: seen.rootHash },
    });
    expect((await failure(ahead.verify(index!))).step).toBe('consistency');
    // After growing, an older seen head with a wrong root fails the consistency proof.
    await client.me();
    const older = new ReceiptVerifier({ client, lastSeen: { size: 1, rootHash: forkRoot } });
    expect((await failure(older.verify(index!))).step).toBe('consistency');
    // The failed verifiers did not take the bad heads as seen.
    expect(forked.lastSeen).toEqual({ size: seen.treeSize, rootHash: forkRoot });
  });

  it('fails for an entry that is not this app’s about this person, and for a receipt the log never signs', async () => {
    const bob = await w.connect(w.bob, ['openid', 'profile']);
    const bobs = await w.clientFor(bob).me();
    const [bobIndex] = receiptOf(bobs)!;
    const error = await failure(new ReceiptVerifier({ client }).verify(bobIndex!));
    expect(error.step).toBe('entry');
    expect((await failure(new ReceiptVerifier({ client }).verify(-1))).step).toBe('entry');
    expect((await failure(new ReceiptVerifier({ client }).verify(10_000))).step).toBe('entry');
  });

  it('fails when no checkpoint covers the entry in time', async () => {
    // A signed note from a key the verifier trusts, but for a tree that never reaches the entry:
    // as if the log held the entry back from its heads.
    const message = await client.sendMessage({ to: w.bob.id, card });
    const [index] = receiptOf(message)!;
    const origin = (await client.transparency.key()).split('+')[0]!;
    const { signerKey, verifierKey } = await generateSignerKey(origin);
    const stale = await signCheckpoint({ origin, size: 0, rootHash: await sha256(new Uint8Array()) }, [
      await parseSignerKey(signerKey),
    ]);
    const staleClient = Object.assign(Object.create(client) as ParleyClient, {
      transparency: { ...client.transparency, checkpoint: async () => stale },
    });
    const startedAt = Date.now();
    const error = await failure(
      new ReceiptVerifier({ client: staleClient, verifierKey, maxWaitMs: 600 }).verify(index!),
    );
    expect(error.step).toBe('checkpoint');
    expect(error.message).toMatch(/no signed checkpoint covers/);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(600);
  });
});
