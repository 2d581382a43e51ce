// The baseline of realtime.fanout: a raw `ws` server. POST /send {text} builds the same
// message.created event the platform sends, serialises it once and sends it to every connected
// client; GET /events upgrades. No database, no sessions, no policy: the floor of a broadcast.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { WebSocketServer } from 'ws';

const author = { id: randomUUID(), username: 'ann', displayName: 'Ann' };
const threadId = randomUUID();
const server = http.createServer((req, res) => {
  if (req.url === '/ready') return res.end('ready');
  if (req.method !== 'POST' || req.url !== '/send') {
    res.statusCode = 404;
    return res.end();
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { text } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string };
    const message = {
      id: randomUUID(),
      threadId,
      author,
      text,
      card: null,
      via: null,
      createdAt: new Date().toISOString(),
    };
    const frame = JSON.stringify({ type: 'message.created', message });
    for (const client of wss.clients) client.send(frame);
    res.statusCode = 201;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(message));
  });
});
const wss = new WebSocketServer({ server, path: '/events', perMessageDeflate: false });
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate();
  server.close(() => process.exit(0));
});
