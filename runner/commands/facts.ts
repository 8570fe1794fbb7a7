// `sparkbook facts`: connect to each host, run the one facts script, print what sparkbook sees.
import { ALL_FACT_GROUPS } from '../facts/groups.js';
import type { Facts } from '../facts/facts.js';
import { selectHosts } from '../inventory/index.js';
import { redact } from '../report/redact.js';
import { stableStringify } from '../report/stable-json.js';
import { runPool } from '../executor/pool.js';
import { DEFAULT_FORKS } from '../executor/options.js';
import { HostError, SparkbookError } from '../errors.js';
import { parseCommandArgs, intOption } from './args.js';
import { passphrasePrompt, readBecomePassword } from './become-password.js';
import { createHostAccess, hostKeyPolicyOption } from './host-access.js';
import type { CommandIo } from './io.js';
import { prepareCommandInputs } from './command-inputs.js';
import { configuredPolicy, loadAnsibleConfig } from './ansible-cfg.js';
import { ansibleFlags } from './ansible-flags.js';
import { EXIT } from './exit-codes.js';

const HELP = `Usage: sparkbook facts [-i INVENTORY] [--limit PATTERN] [--json] [--become]

  -i, --inventory PATH       inventory (default: ansible.cfg's inventory, else this machine)
  -l, --limit PATTERN        only these hosts
  -e, --extra-vars VARS      e.g. ansible_port=2222 (wins over the inventory)
      --json                 one JSON object: host → facts
  -b, --become               gather as root through sudo (sshd -T and ufw need root)
  -K, --ask-become-pass      ask for the sudo password (or set SPARKBOOK_BECOME_PASS)
      --host-key-policy P    strict (default) | accept-new
      --known-hosts FILE     known_hosts file      -F, --ssh-config FILE   ssh config file
  -f, --forks N              hosts in parallel (default ${DEFAULT_FORKS})
      --timeout SECONDS      connect timeout
`;

function summary(f: Facts): string[] {
  const addrs = f.interfaces.flatMap((i) => i.addresses.filter((a) => a.global).map((a) => `${i.name} ${a.address}/${a.prefix}`));
  return [
    `arch: ${f.arch ?? '?'} (${f.dpkgArch ?? '?'})   os: ${f.os.pretty ?? f.os.id ?? '?'}   kernel: ${f.kernel ?? '?'}`,
    `hostname: ${f.hostname ?? '?'}   dgx spark: ${f.isDgxSpark ? 'yes' : 'no'}${f.gpus.length ? `   gpus: ${f.gpus.join(', ')}` : ''}`,
    `default route: ${f.defaultRoute ? `${f.defaultRoute.interface} via ${f.defaultRoute.gateway ?? '-'} (${f.defaultRoute.cidr ?? '?'})` : 'none'}`,
    `addresses: ${addrs.join(', ') || 'none'}`,
    `sshd: ${f.sshd ? `port ${f.sshd.ports.join(',')}, password auth ${f.sshd.passwordAuthentication ?? '?'}, root login ${f.sshd.permitRootLogin ?? '?'}${f.sshd.socketActivated ? ', ssh.socket' : ''}` : 'unknown (needs root)'}`,
    `ufw: ${f.ufw ? (f.ufw.active ? `active, ${f.ufw.rules.length} rule(s)` : 'inactive') : 'not installed'}   ip_forward: ${f.sysctl.ipv4Forward ?? '?'}`,
    `wireguard: ${f.wireguard?.interfaces.join(', ') || 'none'}   tailscale: ${f.tailscale ? `${f.tailscale.version ?? '?'} ${f.tailscale.backendState ?? ''}` : 'not installed'}`,
  ];
}

export async function factsCommand(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseCommandArgs('facts', args, {
    inventory: { type: 'string', short: 'i' },
    'extra-vars': { type: 'string', short: 'e', multiple: true },
    limit: { type: 'string', short: 'l' },
    json: { type: 'boolean' },
    become: { type: 'boolean', short: 'b' },
    'ask-become-pass': { type: 'boolean', short: 'K' },
    'host-key-policy': { type: 'string' },
    'known-hosts': { type: 'string' },
    'ssh-config': { type: 'string', short: 'F' },
    forks: { type: 'string', short: 'f' },
    timeout: { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const config = await loadAnsibleConfig(io);
  const prepared = await prepareCommandInputs(values, io, config);
  const becomePassword = await readBecomePassword(values['ask-become-pass'] ?? false, io);
  const timeoutS = values.timeout === undefined ? config?.timeout?.value : intOption('timeout', values.timeout, 10);
  const access = createHostAccess({
    hostKeyPolicy: hostKeyPolicyOption(values['host-key-policy'] ?? configuredPolicy(config, io)),
    env: io.env,
    extraVars: prepared.extraVars,
    ...(io.stdin.isTTY && io.stdin.setRawMode ? { askPassphrase: passphrasePrompt(io) } : {}),
    ...(values['known-hosts'] !== undefined ? { knownHostsPath: values['known-hosts'] } : {}),
    ...(values['ssh-config'] !== undefined ? { sshConfigPath: values['ssh-config'] } : {}),
    ...(timeoutS !== undefined ? { connectTimeoutMs: timeoutS * 1000 } : {}),
    ...(becomePassword ? { becomePassword } : {}),
    defaults: ansibleFlags({}, config).connection,
  });
  const hosts = selectHosts(prepared.inventory, 'all').filter((h) => !prepared.limit || prepared.limit.has(h));
  const results = await runPool(hosts, intOption('forks', values.forks, config?.forks?.value ?? DEFAULT_FORKS), async (name) => {
    const host = prepared.inventory.hosts.get(name)!;
    try {
      const conn = await access.open(host);
      try {
        return { name, facts: await access.gather(conn, values.become ? 'root' : undefined, ALL_FACT_GROUPS) };
      } finally {
        await conn.close().catch(() => undefined);
      }
    } catch (error) {
      const kind = error instanceof HostError ? 'unreachable' : 'failed';
      return { name, error: `${kind}: ${error instanceof SparkbookError || error instanceof Error ? error.message : String(error)}` };
    }
  });
  if (values.json) {
    const out: Record<string, unknown> = {};
    for (const r of results) out[r.name] = 'facts' in r ? r.facts : { error: r.error };
    io.stdout.write(`${redact(stableStringify(out, 2))}\n`);
  } else {
    for (const r of results) {
      io.stdout.write(`${r.name}\n`);
      const lines = 'facts' in r && r.facts ? summary(r.facts) : [r.error ?? 'no facts'];
      for (const l of lines) io.stdout.write(`  ${redact(l)}\n`);
    }
  }
  return results.some((r) => 'error' in r) ? EXIT.hostFailed : EXIT.ok;
}
