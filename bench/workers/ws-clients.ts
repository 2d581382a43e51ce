// Many WebSocket clients in one process of their own, driven over IPC by the suite:
//   connect  — opens `count` sockets to a URL (with the headers a browser would send)
//   fanout   — the closed loop of realtime.fanout: keeps `window` messages in flight (sent over
//              HTTP, not yet received by every socket), for `seconds`; counts the messages every
//              socket received
//   close    — closes them all
import WebSocket from 'ws';

export type ClientCommand =
  | { cmd: 'connect'; url: string; headers: Record<string, string>; count: number; concurrency: number }
  | {
      cmd: 'fanout';
      sendUrl: string;
      sendHeaders: Record<string, string>;
      seconds: number;
      window: number;
    }
  | { cmd: 'close' };

export type ClientReply =
  | { cmd: 'connected'; open: number }
  | { cmd: 'fanout'; messages: number; seconds: number; sent: number }
  | { cmd: 'closed' }
  | { cmd: 'error'; message: string };

const sockets: WebSocket[] = [];
/** Sockets that received each message, by its sequence number in the text ("fanout <n>"). */
const receivedBy = new Map<number, number>();
let onComplete: ((seq: number) => void) | null = null;
const MARK = Buffer.from('fanout ');

function onMessage(data: Buffer) {
  const at = data.indexOf(MARK);
  if (at < 0) return;
  let seq = 0;
  for (let i = at + MARK.length; i < data.length; i++) {
    const c = data[i]!;
    if (c < 48 || c > 57) break;
    seq = seq * 10 + (c - 48);
  }
  const count = (receivedBy.get(seq) ?? 0) + 1;
  receivedBy.set(seq, count);
  if (count === sockets.length) {
    receivedBy.delete(seq);
    onComplete?.(seq);
  }
}

function open(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode ?? '?'}`)),
    );
    socket.on('message', (data: Buffer) => onMessage(data));
  });
}

async function connect(command: Extract<ClientCommand, { cmd: 'connect' }>): Promise<ClientReply> {
  let next = 0;
  await Promise.all(
    Array.from({ length: command.concurrency }, async () => {
      while (next < command.count) {
        next++;
        sockets.push(await open(command.url, command.headers));
      }
    }),
  );
  return { cmd: 'connected', open: sockets.length };
}

async function fanout(command: Extract<ClientCommand, { cmd: 'fanout' }>): Promise<ClientReply> {
  let seq = 0;
  let sent = 0;
  let completed = 0;
  const started = performance.now();
  const until = started + command.seconds * 1000;
  let lastCompletion = started;
  await new Promise<void>((resolve, reject) => {
    let inFlight = 0;
    const send = () => {
      const n = seq++;
      inFlight++;
      sent++;
      fetch(command.sendUrl, {
        method: 'POST',
        headers: { ...command.sendHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ text: `fanout ${n}` }),
      })
        .then(async (response) => {
          await response.body?.cancel();
          if (response.status !== 201) throw new Error(`send: ${response.status}`);
        })
        .catch(reject);
    };
    onComplete = () => {
      inFlight--;
      completed++;
      lastCompletion = performance.now();
      if (performance.now() < until) send();
      else if (inFlight === 0) resolve();
    };
    for (let i = 0; i < command.window; i++) send();
    // Messages still missing long after the end mean lost deliveries: stop and say so.
    setTimeout(
      () => reject(new Error(`fan-out stalled: ${completed} of ${sent} delivered to every socket`)),
      command.seconds * 1000 + 30_000,
    ).unref();
  });
  onComplete = null;
  return { cmd: 'fanout', messages: completed, seconds: (lastCompletion - started) / 1000, sent };
}

process.on('message', (command: ClientCommand) => {
  const run = async (): Promise<ClientReply> => {
    switch (command.cmd) {
      case 'connect':
        return connect(command);
      case 'fanout':
        return fanout(command);
      case 'close':
        for (const socket of sockets.splice(0)) socket.terminate();
        return { cmd: 'closed' };
    }
  };
  void run()
    .catch((error: unknown): ClientReply => ({
      cmd: 'error',
      message: error instanceof Error ? error.message : String(error),
    }))
    .then((reply) => process.send?.(reply));
});
process.on('disconnect', () => process.exit(0));
