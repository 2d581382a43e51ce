// loadConfig → openStorage → buildApp → listen; signals. Nothing else.
import { buildApp, serviceDepsOf } from './app.js';
import { loadConfig } from './config.js';
import { createAuthService } from './services/auth.service.js';
import { seedDemo } from './services/demo.js';
import { DEMO_DEVELOPER, ensureDemoApps } from './services/demo-apps.js';
import { createDeveloperService } from './services/developer.service.js';
import { createFriendService } from './services/friend.service.js';
import { createThreadService } from './services/thread.service.js';
import { createWebhookService } from './services/webhook.service.js';
import { migrateToLatest, openStorage } from './storage/database.js';

export async function serve(): Promise<void> {
  const config = loadConfig();
  const storage = openStorage(config.database);
  await migrateToLatest(storage.db);
  const deps = { config, ...serviceDepsOf({ config, storage }) };
  // The demo seed below runs without partner webhooks (deps.webhooks); the platform sends them.
  const app = await buildApp({ ...deps, webhooks: createWebhookService(deps) });
  if (config.isDemo) {
    const hasSeeded = await seedDemo(deps, {
      auth: createAuthService(deps),
      friends: createFriendService(deps),
      threads: createThreadService(deps),
    });
    if (hasSeeded) app.log.info('demo data created: alice, bob, carol (password parley-demo)');
    // Only on a demo database (seeded now, or the demo developer exists): a platform that was
    // started empty once is not given demo apps later.
    const isDemoDatabase =
      hasSeeded || (await storage.repos.users.findByUsername(DEMO_DEVELOPER.username)) !== undefined;
    if (isDemoDatabase) {
      const apps = await ensureDemoApps(deps, {
        auth: createAuthService(deps),
        developer: createDeveloperService(deps),
      });
      app.log.info(`demo apps registered: Tunes at ${apps.tunes.url}, Flicks at ${apps.flicks.url}`);
    }
  }
  let isClosing = false;
  const shutdown = (signal: string) => {
    if (isClosing) return;
    isClosing = true;
    app.log.info({ signal }, 'shutting down');
    void app
      .close()
      .then(() => storage.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Parley is ready at ${config.publicUrl} (${storage.dialect})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
