// IP helpers for the playbooks (network_cidr, ip_address, ip_prefix, the ipv4/ipv6 tests), parsed
// by hand so a hostile string costs linear time: IPv4 dotted quads and IPv6 with `::` and an
// embedded IPv4 tail.
import { TemplateFault } from './values.js';

export interface Address {
  readonly family: 4 | 6;
  /** IPv4: four octets; IPv6: eight 16-bit groups. */
  readonly groups: readonly number[];
}

export interface Cidr extends Address {
  readonly prefix: number;
}

export function parseIpv4(text: string): Address | undefined {
  const pieces = text.split('.');
  if (pieces.length !== 4) return undefined;
  const groups: number[] = [];
  for (const piece of pieces) {
    if (piece.length < 1 || piece.length > 3) return undefined;
    for (let i = 0; i < piece.length; i++) {
      const c = piece.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
    const n = Number(piece);
    if (n > 255) return undefined;
    groups.push(n);
  }
  return { family: 4, groups };
}

export function parseIpv6(text: string): Address | undefined {
  // A zone (fe80::1%eth0) is not part of the address.
  const zone = text.indexOf('%');
  const bare = zone >= 0 ? text.slice(0, zone) : text;
  if (bare.length === 0 || bare.length > 45) return undefined;
  const halves = bare.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] as string, halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1] as string, true) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? { family: 6, groups: head } : undefined;
  if (head.length + tail.length > 7) return undefined;
  const zeros = new Array<number>(8 - head.length - tail.length).fill(0);
  return { family: 6, groups: [...head, ...zeros, ...tail] };
}

/** Colon-separated hex groups; the last may be a dotted IPv4 when `ipv4Tail` is allowed. */
function parseGroups(text: string, ipv4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const pieces = text.split(':');
  const groups: number[] = [];
  for (let p = 0; p < pieces.length; p++) {
    const piece = pieces[p] as string;
    if (ipv4Tail && p === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIpv4(piece);
      if (v4 === undefined) return undefined;
      const [a, b, c, d] = v4.groups as [number, number, number, number];
      groups.push(a * 256 + b, c * 256 + d);
      continue;
    }
    if (piece.length < 1 || piece.length > 4) return undefined;
    let n = 0;
    for (let i = 0; i < piece.length; i++) {
      const h = hexDigit(piece.charCodeAt(i));
      if (h < 0) return undefined;
      n = n * 16 + h;
    }
    groups.push(n);
  }
  return groups;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

export function parseAddress(text: string): Address | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** `192.168.1.23/24`; the prefix is required. */
export function parseCidr(value: unknown): Cidr {
  if (typeof value !== 'string') throw new TemplateFault(`expected an address with a prefix like 192.168.1.23/24, not ${typeof value}`);
  const slash = value.indexOf('/');
  if (slash < 0) throw new TemplateFault(`'${clip(value)}' has no /prefix`);
  const address = parseAddress(value.slice(0, slash).trim());
  if (address === undefined) throw new TemplateFault(`'${clip(value)}' is not an IP address with a prefix`);
  const prefixText = value.slice(slash + 1).trim();
  const max = address.family === 4 ? 32 : 128;
  const prefix = /^[0-9]{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) throw new TemplateFault(`'${clip(value)}' has a prefix outside 0-${max}`);
  return { ...address, prefix };
}

/** The network of an address with a prefix: 192.168.1.23/24 → 192.168.1.0/24. */
export function networkCidr(value: unknown): string {
  const cidr = parseCidr(value);
  const width = cidr.family === 4 ? 8 : 16;
  const masked = cidr.groups.map((group, i) => {
    const bitsHere = Math.max(0, Math.min(width, cidr.prefix - i * width));
    const mask = bitsHere === 0 ? 0 : ((1 << width) - 1) ^ ((1 << (width - bitsHere)) - 1);
    return group & mask;
  });
  return `${formatAddress({ family: cidr.family, groups: masked })}/${cidr.prefix}`;
}

/** Canonical text: dotted quad, or RFC 5952 IPv6 (lowercase, longest zero run as ::). */
export function formatAddress(address: Address): string {
  if (address.family === 4) return address.groups.join('.');
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (address.groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && address.groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = address.groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
