// @ts-check
// What `npm start` runs after the build: the platform, and in demo mode (PARLEY_DEMO=1, the
// default) the demo partner apps Tunes (PORT+1) and Flicks (PORT+2), each its own process
// using only the public OAuth + partner API. On the first demo start, bob connects Tunes the
// way a person would (log in, consent) so the demo begins with one person already connected.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const port = Number(env.PORT || 8080);
const host = env.HOST || '127.0.0.1';
const isDemo = (env.PARLEY_DEMO ?? '1') !== '0';
const dataDir = path.resolve(env.PARLEY_DATA_DIR || './data');
const DEMO_PASSWORD = 'parley-demo';
const BOB_MARKER = path.join(dataDir, 'demo-bob-connected-tunes');

/** @type {import('node:child_process').ChildProcess[]} */
const children = [];
let isStopping = false;

/** Starts one of the servers; if it dies on its own, everything stops with its exit code. */
function run(
  /** @type {string} */ name,
  /** @type {string} */ script,
  /** @type {NodeJS.ProcessEnv} */ childEnv,
) {
  const child = spawn(process.execPath, [path.join(root, script)], { env: childEnv, stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (isStopping) return;
    console.error(`${name} stopped (${signal ?? `exit code ${code}`}); stopping the rest.`);
    stop(code ?? 1);
  });
  return child;
}

function stop(/** @type {number} */ code) {
  isStopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(
    () => process.exit(code),
    () => process.exit(code),
  );
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitFor(/** @type {string} */ url, /** @type {string} */ what) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (isStopping) throw new Error('stopping');
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${what} did not answer at ${url} within 60 s`);
}

/** A browser's cookie jar for one host name (cookies ignore ports, as in a browser). */
function cookieJar() {
  /** @type {Map<string, { value: string; path: string }>} */
  const cookies = new Map();
  return {
    header(/** @type {URL} */ url) {
      return [...cookies]
        .filter(([, c]) => url.pathname.startsWith(c.path))
        .map(([name, c]) => `${name}=${c.value}`)
        .join('; ');
    },
    store(/** @type {Response} */ response) {
      for (const header of response.headers.getSetCookie()) {
        const [pair = '', ...attributes] = header.split(';').map((s) => s.trim());
        const name = pair.slice(0, pair.indexOf('='));
        const cookiePath = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
        if (attributes.some((a) => a.toLowerCase() === 'max-age=0')) cookies.delete(name);
        else cookies.set(name, { value: pair.slice(name.length + 1), path: cookiePath });
      }
    },
  };
}

/**
 * Bob connects Tunes as he would in a browser: logs in to Parley, presses "Connect with
 * Parley" in Tunes, allows everything Tunes asks for, and lands back in Tunes.
 * @param {{ parleyUrl: string; tunes: { url: string } }} apps
 */
async function connectBobToTunes(apps) {
  const jar = cookieJar();
  const origin = new URL(apps.parleyUrl).origin;
  const request = async (/** @type {string} */ url, /** @type {RequestInit} */ init = {}) => {
    const target = new URL(url, origin);
    const response = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: jar.header(target), origin: target.origin },
    });
    jar.store(response);
    return response;
  };
  const follow = async (/** @type {string} */ url) => {
    let current = url;
    for (let hops = 0; hops < 10; hops++) {
      const response = await request(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
      current = new URL(location, current).href;
    }
    throw new Error('too many redirects');
  };
  const json = { 'content-type': 'application/json' };
  const login = await request('/api/auth/login', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: 'bob', password: DEMO_PASSWORD }),
  });
  if (!login.ok) throw new Error(`bob could not log in to Parley: ${login.status}`);
  const consentPage = await follow(`${apps.tunes.url}/connect`);
  const uid = /\/consent\/([^/?]+)$/.exec(new URL(consentPage.url).pathname)?.[1];
  if (!uid) return; // already connected: Tunes took him straight back
  const details = await (await request(`/consent/${uid}/details`)).json();
  const scopes = details.scopes.map((/** @type {{ scope: string }} */ s) => s.scope);
  const confirmed = await request(`/consent/${uid}/confirm`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ scopes, threadIds: [] }),
  });
  if (!confirmed.ok) throw new Error(`bob's consent failed: ${confirmed.status} ${await confirmed.text()}`);
  const back = await follow((await confirmed.json()).redirectTo);
  if (!back.response.ok) throw new Error(`Tunes did not finish bob's connection: ${back.response.status}`);
}

/** Whether something already listens on the port (then our server could not). */
function isTaken(/** @type {number} */ p) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(true));
    probe.listen(p, host, () => probe.close(() => resolve(false)));
  });
}

async function main() {
  const needed = isDemo
    ? [
        [port, 'Parley'],
        [port + 1, 'Tunes (PORT+1)'],
        [port + 2, 'Flicks (PORT+2)'],
      ]
    : [[port, 'Parley']];
  for (const [p, who] of needed) {
    if (await isTaken(Number(p))) {
      console.error(
        `Port ${p} is already in use, and ${who} needs it. Stop what uses it, or start on other ports: PORT=9080 npm start`,
      );
      process.exit(1);
    }
  }
  run('Parley', 'server/dist/main.js', env);
  await waitFor(`http://${host}:${port}/readyz`, 'Parley');
  if (!isDemo) return;

  const appsFile = path.join(dataDir, 'demo-apps.json');
  if (!fs.existsSync(appsFile)) {
    console.log('demo: this database was not created in demo mode, so Tunes and Flicks are not started.');
    return;
  }
  /** @type {{ parleyUrl: string; tunes: any; flicks: any }} */
  const apps = JSON.parse(fs.readFileSync(appsFile, 'utf8'));
  for (const [name, app, script] of /** @type {const} */ ([
    ['Tunes', apps.tunes, 'examples/tunes/dist/main.js'],
    ['Flicks', apps.flicks, 'examples/flicks/dist/main.js'],
  ])) {
    run(name, script, {
      ...env,
      PORT: String(app.port),
      HOST: host,
      PUBLIC_URL: app.url,
      PARLEY_URL: apps.parleyUrl,
      PARLEY_CLIENT_ID: app.clientId,
      PARLEY_CLIENT_SECRET: app.clientSecret,
      PARLEY_WEBHOOK_SECRET: app.webhookSecret,
      DATA_DIR: path.join(dataDir, name.toLowerCase()),
    });
  }
  await waitFor(`http://${host}:${apps.tunes.port}/`, 'Tunes');
  await waitFor(`http://${host}:${apps.flicks.port}/`, 'Flicks');
  if (!fs.existsSync(BOB_MARKER)) {
    await connectBobToTunes(apps);
    fs.writeFileSync(BOB_MARKER, `${new Date().toISOString()}\n`);
    console.log('demo: bob has connected Tunes (carol has not)');
  }
  console.log(
    [
      '',
      `  Parley  ${apps.parleyUrl}   log in as alice, bob or carol (password ${DEMO_PASSWORD})`,
      `  Tunes   ${apps.tunes.url}   a music player that shares songs through Parley`,
      `  Flicks  ${apps.flicks.url}   recommends shows; it can send, never read`,
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  if (isStopping) return;
  console.error(error instanceof Error ? error.message : error);
  stop(1);
});
