// Parses the default routes (`ip -j route show default`, or the text form) and derives the
// LAN of the default-route interface: 192.168.1.23/24 → 192.168.1.0/24.
import { isRecord, parseJsonArray } from './json.js';
import type { InterfaceFact } from '../facts.js';

export interface DefaultRoute {
  readonly interface: string;
  readonly gateway: string | null;
  readonly metric: number;
  /** The preferred source address (`src`), when the route names one. */
  readonly source: string | null;
}


/** Every default route in `ip -j route show default`; null when the text is not that JSON. */
export function parseRouteJson(text: string): DefaultRoute[] | null {
  const data = parseJsonArray(text);
  if (data === null) return null;
  const out: DefaultRoute[] = [];
  for (const r of data) {
    if (!isRecord(r) || r['dst'] !== 'default' || typeof r['dev'] !== 'string') continue;
    // Unreachable/prohibit defaults (`"type":"unreachable"`) carry no traffic.
    if (typeof r['type'] === 'string' && r['type'] !== 'unicast') continue;
    out.push({
      interface: r['dev'],
      gateway: typeof r['gateway'] === 'string' ? r['gateway'] : null,
      metric: typeof r['metric'] === 'number' ? r['metric'] : 0,
      source: typeof r['prefsrc'] === 'string' ? r['prefsrc'] : null,
    });
  }
  return out;
}

/** `default via 192.168.1.1 dev enP7s7 proto dhcp src 192.168.1.50 metric 100` lines. */
export function parseRouteText(text: string): DefaultRoute[] {
  const out: DefaultRoute[] = [];
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] !== 'default') continue;
    const after = (key: string): string | null => {
      const i = words.indexOf(key);
      return i >= 0 ? (words[i + 1] ?? null) : null;
    };
    const dev = after('dev');
    if (dev === null) continue;
    const metric = after('metric');
    out.push({ interface: dev, gateway: after('via'), metric: metric !== null && /^\d+$/.test(metric) ? Number(metric) : 0, source: after('src') });
  }
  return out;
}

/** The route the kernel prefers: the lowest metric, the first printed on a tie. */
export function preferredRoute(routes: readonly DefaultRoute[]): DefaultRoute | null {
  let best: DefaultRoute | null = null;
  for (const r of routes) if (best === null || r.metric < best.metric) best = r;
  return best;
}

/** 192.168.1.23 with prefix 24 → 192.168.1.0/24; null for anything that is not IPv4. */
export function ipv4Network(address: string, prefix: number): string | null {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return null;
  const n = parts.reduce((acc, p) => acc * 256 + Number(p), 0);
  // Arithmetic, not bitwise operators: those are signed 32-bit in JS.
  const net = n - (n % 2 ** (32 - prefix));
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(net / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}

/** The IPv4 address a default route leaves from: its `src`, else the interface's first IPv4. */
export function routeAddress(route: DefaultRoute, interfaces: readonly InterfaceFact[]): { address: string; prefix: number } | null {
  const iface = interfaces.find((i) => i.name === route.interface);
  const v4 = iface?.addresses.filter((a) => a.family === 'inet') ?? [];
  const chosen = v4.find((a) => a.address === route.source) ?? v4[0];
  return chosen === undefined ? null : { address: chosen.address, prefix: chosen.prefix };
}
