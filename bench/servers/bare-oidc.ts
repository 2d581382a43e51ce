// The baseline of oauth.code_exchange: a bare oidc-provider (the same version as the platform's)
// with its in-memory store, issuing client_credentials tokens to one client, mounted on a plain
// Node HTTP server the way the platform mounts it (its request callback).
import http from 'node:http';
import Provider from 'oidc-provider';
import { BARE_CLIENT } from '../lib/baselines.js';

const port = Number(process.env.PORT);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: BARE_CLIENT.id,
      client_secret: BARE_CLIENT.secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  features: { clientCredentials: { enabled: true } },
});
const callback = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url === '/ready') return res.end('ready');
  void callback(req, res);
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
