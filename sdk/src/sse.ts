// Server-Sent Events, read from a fetch response body. EventSource cannot send an Authorization
// header, so the stream is parsed here, following the WHATWG HTML "Interpreting an event stream"
// rules (§9.2.6): lines end in CRLF, LF or CR; `:` starts a comment; one space after the colon is
// dropped; `data` lines join with "\n"; a blank line dispatches; a message without data is not
// dispatched; an unfinished message at the end of the stream is discarded. `retry` is ignored:
// the client reconnects with its own backoff.

/** One dispatched message. */
export interface SseMessage {
  /** The `event` field, or "message" when the message had none. */
  event: string;
  /** The `data` lines joined with "\n". */
  data: string;
  /** The last event ID seen on the stream so far (the `id` field), if any. */
  id?: string;
}

/** An incremental parser: feed it decoded text as it arrives, take the messages it completes. */
export class SseParser {
  private buffer = '';
  private isAtStart = true;
  /** A chunk ended in CR: a LF at the start of the next one belongs to the same line ending. */
  private skipLeadingLf = false;
  private event = '';
  private data: string[] = [];
  private lastEventId: string | undefined;

  /** Adds text and returns the messages completed by it. */
  feed(text: string): SseMessage[] {
    let chunk = text;
    if (this.skipLeadingLf && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.skipLeadingLf = false;
    if (this.isAtStart && chunk.length > 0) {
      if (chunk.startsWith('\uFEFF')) chunk = chunk.slice(1);
      this.isAtStart = false;
    }
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) break;
      const line = this.buffer.slice(0, end);
      let next = end + 1;
      if (this.buffer[end] === '\r') {
        if (end + 1 === this.buffer.length) this.skipLeadingLf = true;
        else if (this.buffer[end + 1] === '\n') next = end + 2;
      }
      this.buffer = this.buffer.slice(next);
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      default:
      // `retry` and unknown fields are ignored.
    }
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const { event, data } = this;
    this.event = '';
    this.data = [];
    if (data.length === 0) return undefined;
    return {
      event: event || 'message',
      data: data.join('\n'),
      ...(this.lastEventId === undefined ? {} : { id: this.lastEventId }),
    };
  }
}

/** The messages of an event stream body, as they arrive; ends with the stream. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.feed(decoder.decode(value, { stream: true }));
    }
    yield* parser.feed(decoder.decode());
  } finally {
    // Stops the download when the consumer leaves early; the stream may already be errored.
    await reader.cancel().catch(() => undefined);
  }
}
