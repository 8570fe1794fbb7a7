// wg-quick config texts: the server's (no private key inside: PostUp hands wg the key file)
// and a client's (rendered on the control machine, a Secret because it holds the client key).
import { TaskError } from '../../runner/errors.js';
import { Secret } from '../../runner/shell/secret.js';
import { PORT_NUMBER_PATTERN } from './patterns.js';
import { isWireguardKey } from './wireguard-keys.js';

export interface WireguardPeer {
  readonly name?: string;
  readonly publicKey: string;
  readonly allowedIps: readonly string[];
  readonly endpoint?: string;
  readonly persistentKeepalive?: number;
}

export interface WireguardServer {
  readonly interface: string;
  /** The server's address in the tunnel with its prefix: 10.8.0.1/24. */
  readonly address: string;
  readonly listenPort: number;
  readonly privateKeyPath: string;
  readonly peers: readonly WireguardPeer[];
  /** The default-route interface to masquerade tunnel traffic on; null: no NAT rules. */
  readonly natInterface: string | null;
}

// The module's schema uses the same patterns, so `sparkbook validate` and this renderer agree;
// the renderer checks again because `sparkbook wg client` and facts feed it too.
export const WIREGUARD_IFACE_PATTERN = '^[A-Za-z0-9_=+.-]{1,15}$';
export const WIREGUARD_CIDR_PATTERN = '^[0-9A-Fa-f:.]+/\\d{1,3}$';
export const WIREGUARD_ENDPOINT_PATTERN = `^(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):${PORT_NUMBER_PATTERN}$`;
export const WIREGUARD_PATH_PATTERN = '^/[A-Za-z0-9_./@%+=:,-]+$';
const IFACE = new RegExp(WIREGUARD_IFACE_PATTERN);
const CIDR = new RegExp(WIREGUARD_CIDR_PATTERN);
const ENDPOINT = new RegExp(WIREGUARD_ENDPOINT_PATTERN);
const PATH = new RegExp(WIREGUARD_PATH_PATTERN);

function fail(message: string): never {
  throw new TaskError('module', `wireguard: ${message}`);
}

function checkCidr(value: string, what: string): string {
  if (!CIDR.test(value)) fail(`${what} ${JSON.stringify(value)} is not an address with a prefix (10.8.0.2/32)`);
  return value;
}

/** The network of an IPv4 CIDR (10.8.0.1/24 → 10.8.0.0/24); IPv6 is returned as given. */
export function networkOf(cidr: string): string {
  const [addr = '', prefixText = '32'] = cidr.split('/');
  const parts = addr.split('.').map(Number);
  if (parts.length !== 4) return cidr;
  const prefix = Number(prefixText);
  const bits = parts.reduce((a, p) => a * 256 + p, 0);
  const size = 2 ** (32 - prefix);
  const net = Math.floor(bits / size) * size;
  return `${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join('.')}/${prefix}`;
}

function peerLines(peer: WireguardPeer): string[] {
  if (!isWireguardKey(peer.publicKey)) fail(`peer ${peer.name ?? ''} public_key is not a WireGuard key (44 base64 characters)`);
  if (peer.allowedIps.length === 0) fail(`peer ${peer.name ?? peer.publicKey} needs allowed_ips`);
  const lines = ['', '[Peer]'];
  if (peer.name !== undefined) lines.push(`# ${peer.name.replace(/[\r\n]/g, ' ')}`);
  lines.push(`PublicKey = ${peer.publicKey}`);
  lines.push(`AllowedIPs = ${peer.allowedIps.map((ip) => checkCidr(ip, 'allowed_ips')).join(', ')}`);
  if (peer.endpoint !== undefined) {
    if (!ENDPOINT.test(peer.endpoint)) fail(`endpoint ${JSON.stringify(peer.endpoint)} is not host:port`);
    lines.push(`Endpoint = ${peer.endpoint}`);
  }
  if (peer.persistentKeepalive !== undefined) lines.push(`PersistentKeepalive = ${peer.persistentKeepalive}`);
  return lines;
}

/**
 * The server's /etc/wireguard/<iface>.conf. No PrivateKey line: `PostUp = wg set %i
 * private-key <file>` gives wg the key by path, so the file can be shown in diffs. No
 * SaveConfig (it would rewrite this file from runtime state, key included, on `down`).
 */
export function renderServerConfig(s: WireguardServer): string {
  if (!IFACE.test(s.interface)) fail(`interface ${JSON.stringify(s.interface)} is not an interface name`);
  if (!PATH.test(s.privateKeyPath)) fail(`private_key_path ${JSON.stringify(s.privateKeyPath)} is not a plain absolute path`);
  checkCidr(s.address, 'address');
  const lines = [
    `# Managed by sparkbook (wireguard module). The private key stays in ${s.privateKeyPath}; wg reads it at PostUp.`,
    '[Interface]',
    `Address = ${s.address}`,
    `ListenPort = ${s.listenPort}`,
    `PostUp = wg set %i private-key ${s.privateKeyPath}`,
  ];
  if (s.natInterface !== null) {
    if (!IFACE.test(s.natInterface)) fail(`default-route interface ${JSON.stringify(s.natInterface)} is not an interface name`);
    const net = networkOf(s.address);
    const nic = s.natInterface;
    lines.push(
      `PostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -A FORWARD -o %i -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT; iptables -t nat -A POSTROUTING -s ${net} -o ${nic} -j MASQUERADE`,
      `PostDown = iptables -D FORWARD -i %i -j ACCEPT; iptables -D FORWARD -o %i -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT; iptables -t nat -D POSTROUTING -s ${net} -o ${nic} -j MASQUERADE`,
    );
  }
  for (const peer of s.peers) lines.push(...peerLines(peer));
  return `${lines.join('\n')}\n`;
}

export interface ClientConfig {
  readonly clientPrivateKey: Secret;
  /** The client's address in the tunnel: 10.8.0.2/32. */
  readonly address: string;
  readonly serverPublicKey: string;
  /** host:port the client dials. */
  readonly endpoint: string;
  /** What the client routes through the tunnel: the tunnel subnet, the LAN, or 0.0.0.0/0. */
  readonly allowedIps: readonly string[];
  readonly dns?: readonly string[];
  /** Seconds; default 25 (clients are usually behind NAT). 0 leaves it out. */
  readonly persistentKeepalive?: number;
}

/** A client's wg-quick config (write it mode 0600): a Secret, since it holds the client key. */
export function renderClientConfig(c: ClientConfig): Secret {
  const key = c.clientPrivateKey.reveal();
  if (!isWireguardKey(key)) fail('the client private key is not a WireGuard key');
  if (!isWireguardKey(c.serverPublicKey)) fail('the server public key is not a WireGuard key');
  checkCidr(c.address, 'address');
  const lines = ['[Interface]', `PrivateKey = ${key}`, `Address = ${c.address}`];
  if (c.dns !== undefined && c.dns.length > 0) {
    if (!c.dns.every((d) => /^[0-9A-Fa-f:.]+$|^[A-Za-z0-9.-]+$/.test(d))) fail('dns entries must be addresses or domain names');
    lines.push(`DNS = ${c.dns.join(', ')}`);
  }
  const keepalive = c.persistentKeepalive ?? 25;
  lines.push(
    ...peerLines({
      publicKey: c.serverPublicKey,
      allowedIps: c.allowedIps,
      endpoint: c.endpoint,
      persistentKeepalive: keepalive > 0 ? keepalive : undefined,
    }),
  );
  return new Secret(`${lines.join('\n')}\n`);
}
