// The lab CLI (`npm run lab -- ...`): up N [--vms M] [--name NAME] | down [--name NAME] | status [--json] |
// exec HOST [--name NAME] -- CMD... . `up` prints the YAML inventory's path on stdout; progress goes to stderr.
import { spawn } from 'node:child_process';
import { down, hostExecArgv, status, up } from './lab.js';
import { LabError } from './lab-error.js';
import { defaultLabName } from './paths.js';

const USAGE = `usage: npm run lab -- COMMAND
  up N [--vms M] [--name NAME]   containers ct01..ctN (and arm64 VMs vm01..vmM), booted; prints the inventory path
  down [--name NAME]             remove the lab and everything it created
  status [--json]                every lab on this machine and its hosts
  exec HOST [--name NAME] -- CMD...   run CMD as root inside HOST, out of band (nsenter, not ssh)
NAME defaults to ${defaultLabName()} (derived from this checkout's path).`;

interface Parsed {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
  readonly rest: string[];
}

function parse(args: readonly string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  let rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      rest = args.slice(i + 1);
      break;
    }
    if (a === '--json' || a === '--help' || a === '-h') flags.set(a.replace(/^-+/, ''), true);
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else {
        const v = args[++i];
        if (v === undefined) throw new LabError('usage', `${a} needs a value`);
        flags.set(a.slice(2), v);
      }
    } else positional.push(a);
  }
  return { positional, flags, rest };
}

function count(text: string | undefined, what: string): number {
  const n = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new LabError('usage', `${what} must be a whole number, got ${text ?? 'nothing'}`);
  return n;
}

function flagString(p: Parsed, key: string): string | undefined {
  const v = p.flags.get(key);
  return typeof v === 'string' ? v : undefined;
}

const log = (line: string): void => {
  process.stderr.write(`[lab] ${line}\n`);
};

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  const p = parse(args);
  const name = flagString(p, 'name') ?? defaultLabName();
  const known = new Set(['name', 'vms', 'json', 'help', 'h']);
  for (const k of p.flags.keys()) if (!known.has(k)) throw new LabError('usage', `unknown option --${k}`);
  if (command === undefined || p.flags.has('help') || p.flags.has('h')) {
    process.stdout.write(USAGE + '\n');
    return command === undefined ? 2 : 0;
  }
  switch (command) {
    case 'up': {
      const containers = count(p.positional[0], 'N (containers)');
      const vms = p.flags.has('vms') ? count(flagString(p, 'vms'), '--vms') : 0;
      const info = await up({ name, containers, vms, log });
      log(`INI inventory: ${info.inventoryIni}`);
      log(`known_hosts:   ${info.knownHosts}`);
      log(`private key:   ${info.privateKey}`);
      for (const h of info.hosts) log(`  ${h.name}  ${h.user}@${h.address}:${h.port}  ${h.kind}/${h.variant}`);
      process.stdout.write(info.inventoryYaml + '\n');
      return 0;
    }
    case 'down':
      if (!(await down(name, log))) log(`no lab named ${name}`);
      return 0;
    case 'status': {
      const labs = status();
      if (p.flags.has('json')) process.stdout.write(JSON.stringify(labs, null, 2) + '\n');
      else if (labs.length === 0) process.stdout.write('no labs\n');
      else
        for (const l of labs) {
          process.stdout.write(`${l.name}  ${l.subnet}  bridge ${l.bridge}  repo ${l.repoServer ? 'up' : 'DOWN'}  ${l.inventoryYaml}\n`);
          for (const h of l.hosts) {
            process.stdout.write(`  ${h.name.padEnd(5)} ${`${h.address}:${h.port}`.padEnd(17)} ${`${h.kind}/${h.variant}`.padEnd(22)} ${h.running ? `running (pid ${h.init})` : 'STOPPED'}\n`);
          }
        }
      return 0;
    }
    case 'exec': {
      const host = p.positional[0];
      if (host === undefined || p.rest.length === 0) throw new LabError('usage', 'exec HOST [--name NAME] -- CMD...');
      const full = hostExecArgv(name, host, p.rest);
      return await new Promise<number>((resolve) => {
        const child = spawn(full[0] ?? 'nsenter', full.slice(1), { stdio: 'inherit' });
        child.on('close', (code, sig) => resolve(code ?? (sig ? 128 + 9 : 1)));
        child.on('error', () => resolve(127));
      });
    }
    default:
      throw new LabError('usage', `unknown command ${command}\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const usage = e instanceof LabError && e.kind === 'usage';
    process.stderr.write(`lab: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
