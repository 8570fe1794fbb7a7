// Parses interfaces and addresses from `ip -j addr` (iproute2 >= 4.13) or, on hosts whose `ip`
// has no JSON (old iproute2, BusyBox), from `ip -o addr` plus `ip -o link`.
import { isRecord, parseJsonArray } from './json.js';
import type { AddressFact, InterfaceFact } from '../facts.js';

/**
 * The `global` rule: scope global, and not deprecated (no new connection may use it) nor
 * failed duplicate-address detection. ULA IPv6 (fc00::/7) stays global, as the kernel scopes
 * it, but carries `ula: true`; privacy (temporary) addresses stay global with `temporary: true`,
 * so a consumer that needs a stable public address filters on `global && !ula && !temporary`.
 */
export function isGlobal(scope: string, flags: { readonly deprecated: boolean; readonly dadfailed: boolean }): boolean {
  return scope === 'global' && !flags.deprecated && !flags.dadfailed;
}

/** fc00::/7, the unique local addresses of RFC 4193 (fd00::/8 is the half in use). */
export function isUla(address: string): boolean {
  return /^f[cd][0-9a-f]{0,2}:/i.test(address);
}

const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i;

function macOf(address: unknown): string | null {
  return typeof address === 'string' && MAC.test(address) && address !== '00:00:00:00:00:00' ? address.toLowerCase() : null;
}

function address(
  family: 'inet' | 'inet6',
  local: string,
  prefix: number,
  scope: string,
  flags: { deprecated: boolean; temporary: boolean; dadfailed: boolean },
): AddressFact {
  return {
    family,
    address: local,
    prefix,
    scope,
    global: isGlobal(scope, flags),
    ula: family === 'inet6' && isUla(local),
    temporary: flags.temporary,
    deprecated: flags.deprecated,
  };
}


/** `ip -j addr`; null when the text is not the JSON array iproute2 prints. */
export function parseIpAddrJson(text: string): InterfaceFact[] | null {
  const data = parseJsonArray(text);
  if (data === null) return null;
  const out: InterfaceFact[] = [];
  for (const link of data) {
    if (!isRecord(link) || typeof link['ifname'] !== 'string') continue;
    const flags = Array.isArray(link['flags']) ? link['flags'] : [];
    const addresses: AddressFact[] = [];
    for (const a of Array.isArray(link['addr_info']) ? link['addr_info'] : []) {
      if (!isRecord(a)) continue;
      const family = a['family'];
      const local = a['local'];
      if ((family !== 'inet' && family !== 'inet6') || typeof local !== 'string') continue;
      const prefix = typeof a['prefixlen'] === 'number' ? a['prefixlen'] : family === 'inet' ? 32 : 128;
      const scope = typeof a['scope'] === 'string' ? a['scope'] : 'global';
      addresses.push(
        address(family, local, prefix, scope, {
          deprecated: a['deprecated'] === true,
          // IFA_F_TEMPORARY and IFA_F_SECONDARY share a bit: iproute2 names it "secondary" for IPv4.
          temporary: family === 'inet6' && a['temporary'] === true,
          dadfailed: a['dadfailed'] === true,
        }),
      );
    }
    out.push({
      name: link['ifname'],
      mac: macOf(link['address']),
      up: flags.includes('UP'),
      mtu: typeof link['mtu'] === 'number' ? link['mtu'] : null,
      linkType: typeof link['link_type'] === 'string' ? link['link_type'] : null,
      addresses,
    });
  }
  return out;
}

interface LinkLine {
  readonly name: string;
  readonly up: boolean;
  readonly mtu: number | null;
  readonly linkType: string | null;
  readonly mac: string | null;
}

/** `ip -o link`: `2: eth0@if5: <BROADCAST,UP,LOWER_UP> mtu 1500 ... \    link/ether 02:.. brd ff:..`. */
export function parseIpLinkText(text: string): LinkLine[] {
  const out: LinkLine[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+([^:\s@]+)(?:@[^:\s]+)?:\s+<([^>]*)>(.*)$/.exec(line);
    if (m === null) continue;
    const [, name = '', flags = '', rest = ''] = m;
    const mtu = /\bmtu (\d+)/.exec(rest);
    const link = /\blink\/(\S+)(?: (\S+))?/.exec(rest);
    out.push({
      name,
      up: flags.split(',').includes('UP'),
      mtu: mtu === null ? null : Number(mtu[1]),
      linkType: link?.[1] ?? null,
      mac: macOf(link?.[2]),
    });
  }
  return out;
}

/** `ip -o addr` (one address a line) joined with `ip -o link` for the link-level fields. */
export function parseIpAddrText(addrText: string, linkText: string): InterfaceFact[] {
  const links = parseIpLinkText(linkText);
  const order: string[] = links.map((l) => l.name);
  const addrs = new Map<string, AddressFact[]>();
  for (const line of addrText.split('\n')) {
    const m = /^\d+:\s+(\S+?)\s+(inet6?)\s+(\S+)(.*)$/.exec(line);
    if (m === null) continue;
    const [, name = '', fam = '', cidr = '', rest = ''] = m;
    const family = fam === 'inet' ? 'inet' : 'inet6';
    const [local = '', bits] = cidr.split('/');
    const words = rest.split('\\')[0]?.trim().split(/\s+/) ?? [];
    const scopeAt = words.indexOf('scope');
    const scope = scopeAt >= 0 ? (words[scopeAt + 1] ?? 'global') : 'global';
    // `inet 10.0.0.1 peer 10.0.0.2/32`: the prefix belongs to the peer.
    const peer = words.indexOf('peer');
    const prefixText = bits ?? (peer >= 0 ? words[peer + 1]?.split('/')[1] : undefined);
    const prefix = prefixText !== undefined ? Number(prefixText) : family === 'inet' ? 32 : 128;
    const list = addrs.get(name) ?? [];
    list.push(
      address(family, local, prefix, scope, {
        deprecated: words.includes('deprecated'),
        temporary: family === 'inet6' && words.includes('temporary'),
        dadfailed: words.includes('dadfailed'),
      }),
    );
    addrs.set(name, list);
    if (!order.includes(name)) order.push(name);
  }
  return order.map((name) => {
    const link = links.find((l) => l.name === name);
    return {
      name,
      mac: link?.mac ?? null,
      up: link?.up ?? false,
      mtu: link?.mtu ?? null,
      linkType: link?.linkType ?? null,
      addresses: addrs.get(name) ?? [],
    };
  });
}
