/**
 * Host header check against DNS rebinding (issue 9.8): a page on `rebind.attacker.example` whose name now
 * resolves to this server sends `Host: rebind.attacker.example` and a matching Origin. We answer only to
 * APP_URL's host and ALLOWED_HOSTS; anything else gets 421 JSON before any handler runs. When APP_URL is a
 * loopback address (a laptop, tests), every loopback host on any port is ours too (a rebinding page can
 * never send a loopback Host). `/api/health` stays open for load balancers, which probe by target IP.
 * CSRF (csrf.ts) compares Origin with the same list, never with the Host the request brought.
 */
import { createMiddleware } from 'hono/factory';
import type { Config } from '../config';
import { AppError } from '../lib/errors';
import type { AppEnv } from '../lib/hono-env';

const OPEN_PATHS = new Set(['/api/health']);
const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

const isLoopback = (hostname: string) =>
  hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);

interface HostRule {
  appUrl: string;
  hosts: Set<string>;
  loopback: boolean;
  /** Loopback Host values already judged (each would otherwise parse a URL per request). */
  judged: Map<string, boolean>;
}
const JUDGED_MAX = 256;

let cached: { key: string; appUrl: string; allowed: readonly string[]; rule: HostRule } | null = null;
/** Rebuilt when APP_URL or ALLOWED_HOSTS change (tests point APP_URL at the port they got). */
function ruleFor(config: Pick<Config, 'APP_URL' | 'allowedHosts'>): HostRule {
  // Same APP_URL and the same list object: the common case, checked without building the key.
  if (cached && cached.appUrl === config.APP_URL && cached.allowed === config.allowedHosts)
    return cached.rule;
  const key = `${config.APP_URL} ${config.allowedHosts.join(',')}`;
  if (cached?.key === key) {
    cached = { ...cached, appUrl: config.APP_URL, allowed: config.allowedHosts };
    return cached.rule;
  }
  const app = new URL(config.APP_URL);
  const hosts = new Set([app.host, `${app.hostname}:${app.port || DEFAULT_PORT[app.protocol]}`]);
  for (const h of config.allowedHosts) hosts.add(h.toLowerCase());
  const rule = { appUrl: config.APP_URL, hosts, loopback: isLoopback(app.hostname), judged: new Map() };
  cached = { key, appUrl: config.APP_URL, allowed: config.allowedHosts, rule };
  return rule;
}

/** Whether `host` (a Host header value, or an origin's host) is one this deployment answers as. */
export function isAllowedHost(config: Pick<Config, 'APP_URL' | 'allowedHosts'>, host: string): boolean {
  const rule = ruleFor(config);
  const h = host.toLowerCase();
  if (rule.hosts.has(h)) return true;
  if (!rule.loopback) return false;
  let ok = rule.judged.get(h);
  if (ok === undefined) {
    try {
      ok = isLoopback(new URL(`http://${h}`).hostname);
    } catch {
      ok = false;
    }
    if (rule.judged.size < JUDGED_MAX) rule.judged.set(h, ok);
  }
  return ok;
}

export function hostCheck(config: Pick<Config, 'APP_URL' | 'allowedHosts'>) {
  return createMiddleware<AppEnv>((c, next) => {
    const host = c.req.header('host') ?? '';
    if (isAllowedHost(config, host) || OPEN_PATHS.has(c.req.path)) return next();
    throw new AppError(
      'misdirected:host',
      `This server answers as ${new URL(config.APP_URL).host}; the Host "${host.slice(0, 100)}" is not one of its names (set APP_URL or ALLOWED_HOSTS).`,
      { status: 421 },
    );
  });
}
