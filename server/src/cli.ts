// The `parley` command: serve, migrate, admin. (`log verify` arrives with the transparency log.)
import { loadConfig } from './config.js';
import { verifyLog } from './services/log-verify.js';
import { migrateToLatest, openStorage } from './storage/database.js';

const USAGE = `Usage: parley <command>

Commands:
  serve                          Start the platform (the same as npm start, without building)
  migrate                        Bring the database schema up to date and exit
  log verify                     Recompute the transparency log and check every stored node and published checkpoint
  admin users                    List accounts
  admin revoke-sessions <user>   Log a person out everywhere

Configuration comes from the environment (see README.md, "Configuration").`;

/** Opens the configured database, brought up to date, for one piece of work. */
async function withStorage<T>(work: (storage: ReturnType<typeof openStorage>) => Promise<T>): Promise<T> {
  const storage = openStorage(loadConfig().database);
  try {
    return await work(storage);
  } finally {
    await storage.close();
  }
}

export async function run(args: readonly string[]): Promise<number> {
  const [command, sub, arg] = args;
  switch (command) {
    case 'serve': {
      // Loaded only here: the other commands need no web server or OAuth provider.
      const { serve } = await import('./main.js');
      await serve();
      return -1; // keeps running
    }
    case 'migrate': {
      const applied = await withStorage((s) => migrateToLatest(s.db));
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
      return 0;
    }
    case 'log':
      if (sub === 'verify') {
        const report = await withStorage(async (s) => {
          await migrateToLatest(s.db);
          return verifyLog(s);
        });
        if (!report.ok) {
          console.error(`log verify FAILED: ${report.problem}`);
          return 1;
        }
        console.log(`log verify ok: ${report.entries} entries, ${report.checkpoints} checkpoints`);
        return 0;
      }
      console.error(USAGE);
      return 2;
    case 'admin':
      if (sub === 'users') {
        const users = await withStorage(async (s) => {
          await migrateToLatest(s.db);
          return s.repos.users.listAll();
        });
        for (const u of users) console.log(`${u.username}\t${u.display_name}\t${u.created_at}`);
        console.log(`${users.length} account(s)`);
        return 0;
      }
      if (sub === 'revoke-sessions' && arg) {
        const count = await withStorage(async (s) => {
          await migrateToLatest(s.db);
          const user = await s.repos.users.findByUsername(arg);
          if (!user) return null;
          return s.repos.sessions.deleteForUser(user.id);
        });
        if (count === null) {
          console.error(`no account called "${arg}"`);
          return 1;
        }
        console.log(`revoked ${count} session(s) of ${arg}`);
        return 0;
      }
      console.error(USAGE);
      return 2;
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
