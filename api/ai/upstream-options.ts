/**
 * How the transport under the providers (http-fetch.ts) reaches them: timeouts, pool size, and outbound
 * proxies. Proxies for model calls come from the conventional variables districts already set for every tool:
 * HTTPS_PROXY / HTTP_PROXY (or lowercase), and NO_PROXY (comma-separated hosts, `.suffix` or `*.suffix`
 * domains, `host:port`, or `*` for none). An https target goes through an HTTP CONNECT tunnel; a plain http
 * target is sent to the proxy with its absolute URL.
 */
export interface UpstreamOptions {
  /** TCP (and TLS) connection set-up, per attempt. */
  connectTimeoutMs: number;
  /** From sending the request to the response's headers (a non-streamed answer arrives whole: be generous). */
  headersTimeoutMs: number;
  /** Sockets per origin; more concurrent calls wait for one. */
  maxSockets: number;
  proxy: ProxySettings;
  /** Extra trusted certificate authorities (PEM), e.g. a district's TLS-inspecting proxy. */
  ca?: string;
}

export const UPSTREAM_DEFAULTS = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 300_000,
  maxSockets: 512,
} as const;

export interface ProxySettings {
  https: URL | null;
  http: URL | null;
  noProxy: string[];
}

const urlOrNull = (value: string | undefined): URL | null => {
  const v = value?.trim();
  if (!v) return null;
  try {
    return new URL(v.includes('://') ? v : `http://${v}`);
  } catch {
    throw new Error(`The proxy URL "${v}" is not a URL (HTTPS_PROXY / HTTP_PROXY)`);
  }
};

export function proxySettingsFromEnv(env: Record<string, string | undefined>): ProxySettings {
  return {
    https: urlOrNull(env.HTTPS_PROXY ?? env.https_proxy),
    http: urlOrNull(env.HTTP_PROXY ?? env.http_proxy),
    noProxy: (env.NO_PROXY ?? env.no_proxy ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  };
}

function bypasses(url: URL, noProxy: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    const [name = '', entryPort] = entry.split(/:(?=\d+$)/);
    if (entryPort && entryPort !== port) return false;
    const bare = name.replace(/^\*?\./, '');
    return host === bare || host.endsWith(`.${bare}`);
  });
}

/** The proxy a request to `url` goes through, or null for a direct connection. */
export function proxyFor(url: URL, settings: ProxySettings): URL | null {
  const proxy = url.protocol === 'https:' ? settings.https : settings.http;
  if (!proxy || bypasses(url, settings.noProxy)) return null;
  return proxy;
}

/** `Proxy-Authorization` for a proxy URL carrying user:password, else undefined. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username) return undefined;
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}
