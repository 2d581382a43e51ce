import { actorOf, type App, type Services } from '../types.js';

const HEARTBEAT_MS = 30_000;

export function eventRoutes(app: App, services: Services): void {
  app.get(
    '/api/events',
    {
      websocket: true,
      config: { action: 'events.subscribe' },
      schema: {
        tags: ['live'],
        summary: 'Live events (WebSocket)',
        description:
          'Upgrade to a WebSocket with the session cookie and a same-origin Origin. Frames are JSON: hello, message.created, message.deleted, thread.read, thread.created, friends.changed (docs/API.md).',
      },
    },
    (socket, request) => {
      const actor = actorOf(request);
      const unsubscribe = services.events.subscribe(actor, {
        send(event) {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
        },
      });
      // A peer that stops answering pings is gone (sleeping laptop, dropped network).
      let isAlive = true;
      socket.on('pong', () => {
        isAlive = true;
      });
      const heartbeat = setInterval(() => {
        if (!isAlive) return socket.terminate();
        isAlive = false;
        socket.ping();
      }, HEARTBEAT_MS);
      heartbeat.unref();
      socket.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
      // Client frames carry nothing we act on; ignore them rather than trust them.
      socket.on('message', () => undefined);
      socket.send(JSON.stringify({ type: 'hello', userId: actor.userId }));
    },
  );
}
