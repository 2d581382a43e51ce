// Starts Flicks from the environment: PORT (8082), HOST (127.0.0.1), PUBLIC_URL
// (http://localhost:$PORT), PARLEY_URL (http://localhost:8080), PARLEY_CLIENT_ID and
// PARLEY_CLIENT_SECRET (from registering Flicks in Parley's developer console),
// PARLEY_WEBHOOK_SECRET (optional), DATA_DIR (./data).
import { startFlicks } from './app.js';

const env = process.env;
const clientId = env.PARLEY_CLIENT_ID;
const clientSecret = env.PARLEY_CLIENT_SECRET;
if (!clientId || !clientSecret) {
  console.error(
    'Flicks needs PARLEY_CLIENT_ID and PARLEY_CLIENT_SECRET. Register the app in Parley ' +
      '(Developers → Register an app, redirect URI <PUBLIC_URL>/callback) and set both.',
  );
  process.exit(1);
}
const port = Number(env.PORT ?? 8082);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, not "${env.PORT}".`);
  process.exit(1);
}

const flicks = await startFlicks({
  port,
  host: env.HOST ?? '127.0.0.1',
  publicUrl: env.PUBLIC_URL ?? `http://localhost:${port}`,
  parleyUrl: env.PARLEY_URL ?? 'http://localhost:8080',
  clientId,
  clientSecret,
  ...(env.PARLEY_WEBHOOK_SECRET ? { webhookSecret: env.PARLEY_WEBHOOK_SECRET } : {}),
  dataDir: env.DATA_DIR ?? './data',
  // Requests are logged at info; the demo launcher's default shows warnings and errors only.
  logger: env.LOG_LEVEL ?? 'warn',
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void flicks.close().then(() => process.exit(0));
  });
}
