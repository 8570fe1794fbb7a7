// Ansible's fact names (`ansible_distribution`, `ansible_facts.default_ipv4.interface`, …) as
// read-only aliases computed from our Facts, so that a playbook written for Ansible reads the
// same values here. Each alias names the one fact group it reads, so gathering by need
// (scan-groups.ts) knows what a read of it costs. The values follow ansible-core 2.14's setup module
// (recorded on real machines: test/fixtures/ansible/facts/); deliberate differences are in
// docs/decisions.md.
import type { AddressFact, Facts, InterfaceFact } from './facts.js';
import type { FactGroup } from './groups.js';

interface Alias {
  readonly group: FactGroup;
  /** undefined: Ansible would have no such fact for this host (or we cannot know it). */
  readonly value: (f: Facts) => unknown;
}

/** os-release ID → Ansible's `distribution` (ansible-core's distribution.py spelling). */
const DISTRIBUTION_NAMES: Readonly<Record<string, string>> = {
  ubuntu: 'Ubuntu', debian: 'Debian', raspbian: 'Debian', linuxmint: 'Linux Mint', pop: 'Pop!_OS',
  fedora: 'Fedora', rhel: 'RedHat', centos: 'CentOS', rocky: 'Rocky', almalinux: 'AlmaLinux',
  arch: 'Archlinux', alpine: 'Alpine', opensuse: 'openSUSE', 'opensuse-leap': 'openSUSE Leap',
  'opensuse-tumbleweed': 'openSUSE Tumbleweed', sles: 'SLES', amzn: 'Amazon',
};

/** Ansible's `distribution` → `os_family` (its OS_FAMILY_MAP, for the names above). */
const OS_FAMILIES: Readonly<Record<string, string>> = {
  Ubuntu: 'Debian', Debian: 'Debian', 'Linux Mint': 'Debian', 'Pop!_OS': 'Debian',
  Fedora: 'RedHat', RedHat: 'RedHat', CentOS: 'RedHat', Rocky: 'RedHat', AlmaLinux: 'RedHat', Amazon: 'RedHat',
  Archlinux: 'Archlinux', Alpine: 'Alpine', openSUSE: 'Suse', 'openSUSE Leap': 'Suse', 'openSUSE Tumbleweed': 'Suse', SLES: 'Suse',
};

const present = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

function distribution(f: Facts): string | undefined {
  const id = f.os.id;
  if (id === null) return undefined;
  return DISTRIBUTION_NAMES[id] ?? id.charAt(0).toUpperCase() + id.slice(1);
}

function ipv4Parts(address: string, prefix: number): { network: string; netmask: string; broadcast: string } | null {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255) || prefix < 0 || prefix > 32) return null;
  const n = parts.reduce((acc, p) => acc * 256 + p, 0);
  // Arithmetic rather than bitwise operators, which are signed 32-bit in JS.
  const size = 2 ** (32 - prefix);
  const dotted = (x: number): string => [24, 16, 8, 0].map((s) => Math.floor(x / 2 ** s) % 256).join('.');
  const network = n - (n % size);
  return { network: dotted(network), netmask: dotted(2 ** 32 - size), broadcast: dotted(network + size - 1) };
}

/**
 * Ansible's `type` of an interface: its INTERFACE_TYPE table over /sys/class/net/*\/type, here
 * read through iproute2's name for the same number (`none` is 65534: tun, WireGuard, tailscale).
 */
const LINK_TYPES: Readonly<Record<string, string>> = { ether: 'ether', loopback: 'loopback', infiniband: 'infiniband', ppp: 'ppp', none: 'tunnel' };
function linkType(i: InterfaceFact): string {
  return (i.linkType !== null ? LINK_TYPES[i.linkType] : undefined) ?? 'unknown';
}

function ipv4Dict(a: AddressFact): Record<string, string> {
  const parts = ipv4Parts(a.address, a.prefix);
  // Ansible prints the prefix as a string, and an empty broadcast on loopback and /32s.
  const broadcast = parts === null || a.prefix >= 31 || a.address.startsWith('127.') ? '' : parts.broadcast;
  return { address: a.address, broadcast, netmask: parts?.netmask ?? '', network: parts?.network ?? '', prefix: String(a.prefix) };
}

function ipv6Dict(a: AddressFact): Record<string, string> {
  return { address: a.address, prefix: String(a.prefix), scope: a.scope === 'universe' ? 'global' : a.scope };
}

/** The per-interface dict Ansible calls `ansible_<name>` (dashes become underscores). */
export function interfaceDict(i: InterfaceFact): Record<string, unknown> {
  const v4 = i.addresses.filter((a) => a.family === 'inet');
  const v6 = i.addresses.filter((a) => a.family === 'inet6');
  const out: Record<string, unknown> = { device: i.name, active: i.up, type: linkType(i) };
  if (i.mac !== null && i.linkType !== 'loopback') out['macaddress'] = i.mac;
  if (i.mtu !== null) out['mtu'] = i.mtu;
  const [first, ...secondaries] = v4;
  if (first !== undefined) out['ipv4'] = ipv4Dict(first);
  if (secondaries.length > 0) out['ipv4_secondaries'] = secondaries.map(ipv4Dict);
  if (v6.length > 0) out['ipv6'] = v6.map(ipv6Dict);
  return out;
}

function interfaceNamed(f: Facts, name: string): InterfaceFact | undefined {
  return f.interfaces.find((i) => i.name === name);
}

function defaultIpv4(f: Facts): Record<string, unknown> | undefined {
  const route = f.defaultRoute;
  if (route === null) return undefined;
  const iface = interfaceNamed(f, route.interface);
  const addr = iface?.addresses.find((a) => a.family === 'inet' && a.address === route.address);
  const out: Record<string, unknown> = { interface: route.interface, alias: route.interface, gateway: route.gateway ?? '' };
  if (addr !== undefined) Object.assign(out, ipv4Dict(addr));
  else if (route.address !== null) out['address'] = route.address;
  if (iface !== undefined) {
    if (iface.mac !== null) out['macaddress'] = iface.mac;
    if (iface.mtu !== null) out['mtu'] = iface.mtu;
    out['type'] = linkType(iface);
  }
  return out;
}

function defaultIpv6(f: Facts): Record<string, unknown> | undefined {
  const route = f.defaultRoute6;
  if (route === null) return undefined;
  const iface = interfaceNamed(f, route.interface);
  // The kernel's source for a global destination: a stable global address, not a privacy one.
  const v6 = iface?.addresses.filter((a) => a.family === 'inet6' && a.global) ?? [];
  const addr = v6.find((a) => !a.temporary && !a.deprecated) ?? v6[0];
  const out: Record<string, unknown> = { interface: route.interface, gateway: route.gateway ?? '' };
  if (addr !== undefined) Object.assign(out, ipv6Dict(addr));
  if (iface !== undefined) {
    if (iface.mac !== null) out['macaddress'] = iface.mac;
    if (iface.mtu !== null) out['mtu'] = iface.mtu;
    out['type'] = linkType(iface);
  }
  return out;
}

const addressesOf = (f: Facts, family: AddressFact['family']): string[] =>
  f.interfaces.flatMap((i) => i.addresses.filter((a) => a.family === family && !a.address.startsWith('127.') && a.address !== '::1').map((a) => a.address));

/** Every alias, by its name in `ansible_facts` (top level: `ansible_` + name). */
export const ANSIBLE_FACT_ALIASES: { readonly [name: string]: Alias } = {
  architecture: { group: 'base', value: (f) => present(f.arch === null ? null : /^i[3-6]86$/.test(f.arch) ? 'i386' : f.arch) },
  machine: { group: 'base', value: (f) => present(f.arch) },
  userspace_architecture: { group: 'base', value: (f) => present(f.arch) },
  system: { group: 'base', value: (f) => (f.kernel === null ? undefined : 'Linux') },
  kernel: { group: 'base', value: (f) => present(f.kernel) },
  distribution: { group: 'base', value: distribution },
  distribution_version: { group: 'base', value: (f) => present(f.os.version) },
  distribution_major_version: { group: 'base', value: (f) => present(f.os.version?.split('.')[0]) },
  distribution_release: { group: 'base', value: (f) => present(f.os.codename) },
  os_family: { group: 'base', value: (f) => { const d = distribution(f); return d === undefined ? undefined : (OS_FAMILIES[d] ?? d); } },
  hostname: { group: 'base', value: (f) => present(f.hostname?.split('.')[0]) },
  nodename: { group: 'base', value: (f) => present(f.hostname) },
  service_mgr: { group: 'base', value: (f) => present(f.initSystem) },
  pkg_mgr: { group: 'base', value: (f) => present(f.packageManager) },
  memtotal_mb: { group: 'base', value: (f) => present(f.memoryMb) },
  processor_nproc: { group: 'base', value: (f) => present(f.cpus) },
  processor_vcpus: { group: 'base', value: (f) => present(f.cpus) },
  // Ansible says NA for a DMI field it cannot read (no /sys/class/dmi: VMs, containers).
  product_name: { group: 'base', value: (f) => f.productName ?? 'NA' },
  user_id: { group: 'base', value: (f) => present(f.user.name) },
  user_uid: { group: 'base', value: (f) => present(f.user.uid) },
  fqdn: { group: 'network', value: (f) => present(f.fqdn) },
  domain: { group: 'network', value: (f) => (f.fqdn === null ? undefined : f.fqdn.includes('.') ? f.fqdn.slice(f.fqdn.indexOf('.') + 1) : '') },
  interfaces: { group: 'network', value: (f) => f.interfaces.map((i) => i.name) },
  default_ipv4: { group: 'network', value: defaultIpv4 },
  default_ipv6: { group: 'network', value: defaultIpv6 },
  all_ipv4_addresses: { group: 'network', value: (f) => addressesOf(f, 'inet') },
  all_ipv6_addresses: { group: 'network', value: (f) => addressesOf(f, 'inet6') },
};

/** The key of an interface's own dict: `ansible_facts[interfaceKey('enP7s7')]`. */
export const interfaceKey = (name: string): string => name.replace(/[-.:]/g, '_');

/**
 * Ansible's `ansible_facts` dict for `facts`, holding only the groups in `gathered`: a name whose
 * group was not gathered is absent, as it would be after `gather_facts: no` or a gather_subset.
 */
export function ansibleFacts(facts: Facts, gathered: ReadonlySet<FactGroup>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, alias] of Object.entries(ANSIBLE_FACT_ALIASES)) {
    if (!gathered.has(alias.group)) continue;
    const value = alias.value(facts);
    if (value !== undefined) out[name] = value;
  }
  if (gathered.has('network')) {
    for (const i of facts.interfaces) {
      const key = interfaceKey(i.name);
      // An interface named like a fact (none is in practice) never hides the fact.
      if (!Object.hasOwn(out, key)) out[key] = interfaceDict(i);
    }
  }
  return out;
}

/**
 * The groups `facts` holds, when the caller does not say: a group counts as gathered when one of
 * its always-answered facts is known (every Linux host answers `uname -r` and has `lo`).
 */
export function gatheredGroupsOf(facts: Facts): Set<FactGroup> {
  const out = new Set<FactGroup>();
  if (facts.kernel !== null || facts.arch !== null || facts.hostname !== null || facts.os.id !== null) out.add('base');
  if (facts.interfaces.length > 0 || facts.fqdn !== null || facts.defaultRoute !== null) out.add('network');
  return out;
}

/** `ansible_facts` spread as top-level `ansible_*` variables (Ansible's INJECT_FACTS_AS_VARS). */
export function ansibleFactVars(dict: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(dict)) out[`ansible_${name}`] = value;
  return out;
}
