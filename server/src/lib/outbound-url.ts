// Where Parley may send a browser (redirect URIs) or a request (webhooks): https anywhere, plain
// http only to this machine, for partners in development (RFC 9700 §2.6; RFC 8252 §8.3).
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isHttpsOrLoopback(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}
