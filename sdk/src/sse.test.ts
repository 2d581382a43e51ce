import { describe, expect, it } from 'vitest';
import { parleyEventOf } from './client.js';
import { readSse, SseParser, type SseMessage } from './sse.js';

/** Feeds the text in pieces of `size` characters and collects every message. */
function parse(text: string, size = text.length): SseMessage[] {
  const parser = new SseParser();
  const messages: SseMessage[] = [];
  for (let i = 0; i < text.length; i += size) messages.push(...parser.feed(text.slice(i, i + size)));
  return messages;
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const message of readSse(stream)) messages.push(message);
  return messages;
}

describe('the event-stream parser (WHATWG HTML §9.2.6)', () => {
  const serverStream =
    'event: hello\ndata: {"clientId":"app_1","userId":"u1"}\n\n' +
    ': ping\n\n' +
    'event: message.deleted\ndata: {"threadId":"t1","messageId":"m1"}\n\n';

  it('reads the server’s events and skips comments', () => {
    expect(parse(serverStream)).toEqual([
      { event: 'hello', data: '{"clientId":"app_1","userId":"u1"}' },
      { event: 'message.deleted', data: '{"threadId":"t1","messageId":"m1"}' },
    ]);
  });

  it('gives the same messages however the text is split', () => {
    const whole = parse(serverStream);
    for (const size of [1, 2, 3, 7, 13]) expect(parse(serverStream, size)).toEqual(whole);
  });

  it('accepts CRLF, CR and LF line endings, also a CRLF split between chunks', () => {
    const text = 'event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\revent: c\ndata: 3\n\n';
    const expected = [
      { event: 'a', data: '1' },
      { event: 'b', data: '2' },
      { event: 'c', data: '3' },
    ];
    expect(parse(text)).toEqual(expected);
    for (const size of [1, 2, 5]) expect(parse(text, size)).toEqual(expected);
  });

  it('joins data lines with newlines, drops only one leading space, and defaults the event to "message"', () => {
    expect(parse('data:first\ndata:  second\ndata\n\n')).toEqual([
      { event: 'message', data: 'first\n second\n' },
    ]);
  });

  it('does not dispatch a message without data, and resets the event name after a blank line', () => {
    expect(parse('event: lonely\n\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('keeps the last event id across messages and ignores ids with NUL, retry and unknown fields', () => {
    expect(parse('id: 7\ndata: a\n\nretry: 10\nfoo: bar\ndata: b\n\nid: x\0y\ndata: c\n\n')).toEqual([
      { event: 'message', data: 'a', id: '7' },
      { event: 'message', data: 'b', id: '7' },
      { event: 'message', data: 'c', id: '7' },
    ]);
  });

  it('drops a byte-order mark at the start only', () => {
    expect(parse('\uFEFFdata: a\n\n')).toEqual([{ event: 'message', data: 'a' }]);
    expect(parse('data: \uFEFFa\n\n')).toEqual([{ event: 'message', data: '\uFEFFa' }]);
  });

  it('decodes UTF-8 split inside a character, and discards an unfinished message at the end', async () => {
    const bytes = new TextEncoder().encode('data: “héllo” 🎵\n\ndata: never finished\n');
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.slice(i, i + 1));
    expect(await collect(streamOf(chunks))).toEqual([{ event: 'message', data: '“héllo” 🎵' }]);
  });
});

describe('Parley events from stream messages', () => {
  it('types the known events by their name', () => {
    expect(parleyEventOf({ event: 'message.deleted', data: '{"threadId":"t","messageId":"m"}' })).toEqual({
      type: 'message.deleted',
      threadId: 't',
      messageId: 'm',
    });
    expect(parleyEventOf({ event: 'hello', data: '{"clientId":"c","userId":"u","type":"spoof"}' })).toEqual({
      type: 'hello',
      clientId: 'c',
      userId: 'u',
    });
  });

  it('skips event types it does not know, and refuses a known one that is not a JSON object', () => {
    expect(parleyEventOf({ event: 'thread.apps_changed', data: '{}' })).toBeUndefined();
    expect(() => parleyEventOf({ event: 'message.created', data: 'not json' })).toThrow(/not JSON/);
    expect(() => parleyEventOf({ event: 'message.created', data: '3' })).toThrow(/not a JSON object/);
  });
});
