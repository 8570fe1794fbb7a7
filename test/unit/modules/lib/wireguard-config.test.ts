// wg-quick config texts: the server's holds no key, a client's is a Secret with every field.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { networkOf, renderClientConfig, renderServerConfig } from '../../../../modules/lib/wireguard-config.js';
import { generateWireguardKeyPair } from '../../../../modules/lib/wireguard-keys.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../test/fixtures/modules/wireguard');
const LAPTOP = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';

describe('wireguard server config', () => {
  const server = {
    interface: 'wg0',
    address: '10.8.0.1/24',
    listenPort: 51820,
    privateKeyPath: '/etc/wireguard/wg0.key',
    peers: [{ name: 'laptop', publicKey: LAPTOP, allowedIps: ['10.8.0.2/32'] }],
    natInterface: 'enP7s7',
  };

  it('renders the recorded wg0.conf: key by path, NAT on the given interface, one peer', () => {
    assert.equal(renderServerConfig(server), readFileSync(resolve(DIR, 'wg0.conf'), 'utf8'));
  });

  it('has no PrivateKey and no SaveConfig line', () => {
    const text = renderServerConfig(server);
    assert.ok(!/^PrivateKey/m.test(text));
    assert.ok(!/SaveConfig/.test(text));
  });

  it('leaves NAT out when there is no interface to masquerade on', () => {
    assert.ok(!renderServerConfig({ ...server, natInterface: null }).includes('MASQUERADE'));
  });

  it('refuses a peer whose key is not a WireGuard key and an injected interface name', () => {
    assert.throws(() => renderServerConfig({ ...server, peers: [{ publicKey: 'nope', allowedIps: ['10.8.0.2/32'] }] }), /not a WireGuard key/);
    assert.throws(() => renderServerConfig({ ...server, natInterface: 'eth0; reboot' }), /not an interface name/);
  });

  it('computes the tunnel network from the server address', () => {
    assert.equal(networkOf('10.8.0.1/24'), '10.8.0.0/24');
    assert.equal(networkOf('10.100.7.9/16'), '10.100.0.0/16');
  });
});

describe('wireguard client config', () => {
  it('renders every field and returns a Secret that masks the client key', () => {
    const client = generateWireguardKeyPair();
    const server = generateWireguardKeyPair();
    const config = renderClientConfig({
      clientPrivateKey: client.privateKey,
      address: '10.8.0.2/32',
      serverPublicKey: server.publicKey,
      endpoint: 'spark.example.net:51820',
      allowedIps: ['10.8.0.0/24', '192.168.1.0/24'],
      dns: ['192.168.1.1'],
    });
    assert.equal(
      config.reveal(),
      [
        '[Interface]',
        `PrivateKey = ${client.privateKey.reveal()}`,
        'Address = 10.8.0.2/32',
        'DNS = 192.168.1.1',
        '',
        '[Peer]',
        `PublicKey = ${server.publicKey}`,
        'AllowedIPs = 10.8.0.0/24, 192.168.1.0/24',
        'Endpoint = spark.example.net:51820',
        'PersistentKeepalive = 25',
        '',
      ].join('\n'),
    );
    assert.ok(!String(config).includes(client.privateKey.reveal()));
  });

  it('omits keepalive when asked and refuses a bad endpoint', () => {
    const { privateKey, publicKey } = generateWireguardKeyPair();
    const base = { clientPrivateKey: privateKey, address: '10.8.0.3/32', serverPublicKey: publicKey, endpoint: '[2001:db8::1]:51820', allowedIps: ['0.0.0.0/0'] };
    assert.ok(!renderClientConfig({ ...base, persistentKeepalive: 0 }).reveal().includes('PersistentKeepalive'));
    assert.throws(() => renderClientConfig({ ...base, endpoint: 'spark.example.net' }), /host:port/);
  });
});
