// `sparkbook wg client NAME`: a WireGuard client config made on THIS machine. The client's
// private key is generated here and written only into a 0600 file; no client key is ever
// created on, or copied from, the server (unlike the manual guide).
import { link, open, unlink } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';
import { generateWireguardKeyPair, renderClientConfig } from '../../modules/index.js';
import { parseCommandArgs } from './args.js';
import type { CommandIo } from './io.js';
import { EXIT } from './exit-codes.js';

const HELP = `Usage: sparkbook wg client NAME --server-public-key KEY --endpoint HOST:PORT --address CIDR
                          [--allowed-ips LIST] [--dns LIST] [--keepalive S] [-o FILE]

Writes NAME.conf (mode 0600) with a key pair generated on this machine, and prints the peer
entry to add to the server's wireguard_peers (its public key only).
  --server-public-key KEY  the server's public key (sparkbook run playbooks/wireguard-server.yml prints it)
  --endpoint HOST:PORT     where the client dials the server, e.g. spark-01.example.net:51820
  --address CIDR           the client's tunnel address, e.g. 10.8.0.2/32
  --allowed-ips LIST       what the client routes through the tunnel (default: the /24 of --address)
  --dns LIST               DNS servers for the client
  -o, --output FILE        where to write (default: ./NAME.conf); an existing file is never overwritten
`;

async function writeSecretFile(path: string, content: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // link() fails with EEXIST instead of replacing: an existing client config is never lost.
    await link(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new InputError('usage', `${path} exists: refusing to overwrite a client config (remove it first)`);
    }
    throw error;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

export async function wgCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('wg', args, {
    'server-public-key': { type: 'string' },
    endpoint: { type: 'string' },
    address: { type: 'string' },
    'allowed-ips': { type: 'string' },
    dns: { type: 'string' },
    keepalive: { type: 'string' },
    output: { type: 'string', short: 'o' },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const [verb, name] = positionals;
  if (verb !== 'client' || name === undefined) throw new InputError('usage', "sparkbook wg: expected 'client NAME' (see 'sparkbook wg --help')");
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name) || name.startsWith('.')) throw new InputError('usage', `client name '${name}' must be letters, digits, '.', '_' or '-'`);
  const serverKey = values['server-public-key'];
  const endpoint = values.endpoint;
  const address = values.address;
  if (!serverKey || !endpoint || !address) throw new InputError('usage', 'sparkbook wg client: --server-public-key, --endpoint and --address are required');
  const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const m = /^(\d+)\.(\d+)\.(\d+)\.\d+\/\d+$/.exec(address);
  const allowedIps = values['allowed-ips'] ? list(values['allowed-ips']) : m ? [`${m[1]}.${m[2]}.${m[3]}.0/24`] : [];
  if (allowedIps.length === 0) throw new InputError('usage', 'sparkbook wg client: give --allowed-ips for an IPv6 address');
  const keepalive = values.keepalive === undefined ? undefined : Number(values.keepalive);
  if (keepalive !== undefined && !(Number.isInteger(keepalive) && keepalive >= 0)) throw new InputError('usage', '--keepalive must be a whole number of seconds');

  const pair = generateWireguardKeyPair();
  let config;
  try {
    config = renderClientConfig({
      clientPrivateKey: pair.privateKey, address, serverPublicKey: serverKey, endpoint, allowedIps,
      ...(values.dns ? { dns: list(values.dns) } : {}),
      ...(keepalive !== undefined ? { persistentKeepalive: keepalive } : {}),
    });
  } catch (error) {
    throw new InputError('usage', `sparkbook wg client: ${(error as Error).message}`);
  }
  const out = values.output ?? `${name}.conf`;
  await writeSecretFile(out, config.reveal());
  io.stdout.write(`wrote ${out} (mode 0600)\n\nAdd this peer to the server's wireguard_peers and run playbooks/wireguard-server.yml:\n`);
  io.stdout.write(`  - name: ${name}\n    public_key: ${pair.publicKey}\n    allowed_ips: [${address.replace(/\/\d+$/, m ? '/32' : '/128')}]\n`);
  return EXIT.ok;
}
