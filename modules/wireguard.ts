// The `wireguard` module: a wg-quick server whose private key is generated on the host and
// never leaves it, NAT on the default-route interface from facts, peers by public key only.
import { TaskError } from '../runner/errors.js';
import { defineModule, type Params } from '../runner/module.js';
import type { Facts } from '../runner/facts/facts.js';
import { parseWireguardProbe, wireguardProbeScript, type WireguardObserved, type WireguardPaths } from './lib/wireguard-observe.js';
import { WIREGUARD_CIDR_PATTERN, WIREGUARD_ENDPOINT_PATTERN, WIREGUARD_IFACE_PATTERN, WIREGUARD_PATH_PATTERN } from './lib/wireguard-config.js';
import { WIREGUARD_KEY_PATTERN } from './lib/wireguard-keys.js';
import { planWireguard, type WireguardWanted } from './lib/wireguard-plan.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  description:
    'A WireGuard server (wg-quick). The private key is generated on the host (umask 077) and read by nothing but wg; ' +
    'the config holds `PostUp = wg set %i private-key <file>` instead of the key. Peers take a public key only.',
  properties: {
    interface: { type: 'string', pattern: WIREGUARD_IFACE_PATTERN, description: 'Interface name (default wg0); the config is /etc/wireguard/<interface>.conf.' },
    address: { type: 'string', pattern: WIREGUARD_CIDR_PATTERN, description: 'The server address in the tunnel, with the prefix of the tunnel subnet.' },
    listen_port: { type: 'integer', minimum: 1, maximum: 65535, description: 'UDP port (default 51820). Allow it in ufw with a ufw task.' },
    private_key_path: { type: 'string', pattern: WIREGUARD_PATH_PATTERN, description: 'Where the private key lives on the host (default /etc/wireguard/<interface>.key).' },
    nat: {
      type: 'boolean',
      description: '(default true) Forward and masquerade tunnel traffic out of the default-route interface taken from facts (never a typed NIC name). Needs ip forwarding on (sysctl task).',
    },
    service: { type: 'boolean', description: '(default true) Enable and start wg-quick@<interface>, restarting it when the config changes.' },
    state: { type: 'string', enum: ['present', 'absent'], description: 'absent: stop the interface, remove its config and key (default present).' },
    peers: {
      type: 'array',
      description: 'Clients and other peers, by public key. A private key never goes in an inventory.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['public_key', 'allowed_ips'],
        properties: {
          name: { type: 'string', description: 'A label, written as a comment.' },
          public_key: { type: 'string', pattern: WIREGUARD_KEY_PATTERN, patternErrorMessage: 'must be a WireGuard public key (44 base64 characters, from wg pubkey)', description: 'The peer public key (wg pubkey).' },
          allowed_ips: { type: 'array', minItems: 1, items: { type: 'string', pattern: WIREGUARD_CIDR_PATTERN }, description: 'The peer tunnel address(es): 10.8.0.2/32.' },
          endpoint: {
            type: 'string',
            pattern: WIREGUARD_ENDPOINT_PATTERN,
            patternErrorMessage: 'must be host:port, or [IPv6]:port, with a port 1-65535',
            description: 'host:port, for a peer the server dials.',
          },
          persistent_keepalive: { type: 'integer', minimum: 0, maximum: 65535, description: 'Seconds between keepalives (for peers behind NAT).' },
        },
      },
    },
  },
  required: ['address'],
  examples: [
    {
      interface: 'wg0',
      address: '10.8.0.1/24',
      listen_port: 51820,
      peers: [{ name: 'laptop', public_key: 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=', allowed_ips: ['10.8.0.2/32'] }],
    },
  ],
} as const;

type WireguardParams = Params<typeof schema>;

export function wireguardPaths(p: WireguardParams): WireguardPaths {
  const iface = p.interface ?? 'wg0';
  return { interface: iface, dir: '/etc/wireguard', config: `/etc/wireguard/${iface}.conf`, key: p.private_key_path ?? `/etc/wireguard/${iface}.key` };
}

export function wireguardWanted(p: WireguardParams, facts: Facts): WireguardWanted {
  const paths = wireguardPaths(p);
  const nat = p.nat !== false;
  const state = p.state ?? 'present';
  if (nat && state === 'present' && facts.defaultRoute === null) {
    throw new TaskError('module', 'wireguard: nat needs the default-route interface from facts, and this host has none (gather facts, or set nat: false)');
  }
  return {
    state,
    service: p.service !== false,
    interface: paths.interface,
    address: p.address,
    listenPort: p.listen_port ?? 51820,
    privateKeyPath: paths.key,
    natInterface: nat && facts.defaultRoute !== null ? facts.defaultRoute.interface : null,
    peers: (p.peers ?? []).map((peer) => ({
      name: peer.name,
      publicKey: peer.public_key,
      allowedIps: peer.allowed_ips,
      endpoint: peer.endpoint,
      persistentKeepalive: peer.persistent_keepalive,
    })),
  };
}

export const wireguard = defineModule<typeof schema, WireguardObserved>({
  name: 'wireguard',
  // NAT goes out of the default-route interface.
  factGroups: ['network'],
  summary: 'A WireGuard server: key generated on the host, 0600 config without the key, NAT on the default-route interface, wg-quick running.',
  schema,
  probe(params) {
    return { script: wireguardProbeScript(wireguardPaths(params)), parse: (r) => parseWireguardProbe(r.stdout) };
  },
  plan(params, observed, facts) {
    return planWireguard(wireguardWanted(params, facts), observed, wireguardPaths(params));
  },
  message(params, observed) {
    const iface = wireguardPaths(params).interface;
    return observed.publicKey === null ? `${iface}: no key yet` : `${iface} public key: ${observed.publicKey}`;
  },
});
