import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions, type UserConfig } from 'vite';

// The dev server forwards the API to a running platform. The platform only lets its own
// public origin change state (docs/API.md), so the proxy presents that origin instead of the
// dev server's. PUBLIC_URL is the same variable the server reads; its default matches the
// server's default.
const target = process.env.PARLEY_API_TARGET ?? 'http://127.0.0.1:8080';
const publicOrigin = new URL(process.env.PUBLIC_URL ?? 'http://localhost:8080').origin;

const forward: ProxyOptions = {
  target,
  changeOrigin: true,
  configure(proxy) {
    proxy.on('proxyReq', (proxyReq) => {
      if (proxyReq.getHeader('origin') !== undefined) proxyReq.setHeader('origin', publicOrigin);
    });
    proxy.on('proxyReqWs', (proxyReq) => {
      proxyReq.setHeader('origin', publicOrigin);
    });
  },
};

const config: UserConfig = {
  plugins: [react()],
  // @parley/tlog's `parley-source` export condition: bundle its TypeScript source directly.
  resolve: { conditions: ['parley-source'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': { ...forward, ws: true },
      // The consent page /consent/:uid is the web app's; only its three calls go to the server.
      '^/consent/[^/]+/(details|confirm|deny)$': forward,
      '/oauth': forward,
      '/.well-known': forward,
      '/docs': forward,
      '/healthz': forward,
      // The transparency log's public checkpoint, key and proofs (the Verify button).
      '/v1': forward,
    },
  },
};

export default defineConfig(({ command }) => {
  // A build is always the production bundle, even when started from a process that set
  // NODE_ENV to something else (Vitest sets `test`, which would ship React's development
  // build and JSX dev transform). Vite reads NODE_ENV after loading this file.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});
