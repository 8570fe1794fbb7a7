// Subcommand dispatch and the top-level help.
import { InputError } from '../errors.js';
import type { CommandIo } from './io.js';
import { EXIT } from './exit-codes.js';

export const USAGE = `sparkbook — secure and connect fleets of DGX Spark machines over SSH

Usage: sparkbook <command> [options]

Commands:
  run PLAYBOOK        run a playbook against an inventory (--check for a dry run)
  validate FILES...   check playbooks (and an inventory) without contacting any host
  facts               show what sparkbook sees on each host
  inventory           show an inventory (--graph, --list, --host NAME)
  ssh-config          the inventory's hosts as ssh_config Host blocks (--write: into ~/.ssh/config)
  schema              print the playbook JSON Schema (for editors)
  doc MODULE          show a module's parameters and examples (no MODULE: list them)
  report merge F...   merge --report files of sharded runs into one
  wg client NAME      write a WireGuard client config made on this machine

Run 'sparkbook <command> --help' for a command's options.
Exit codes: 0 ok · 2 invalid input · 4 a host failed · 8 pending changes (--check --detailed-exitcode) · 1 a bug
`;

type Command = (args: string[], io: CommandIo) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./run.js')).runCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  facts: async () => (await import('./facts.js')).factsCommand,
  inventory: async () => (await import('./inventory.js')).inventoryCommand,
  'ssh-config': async () => (await import('./ssh-config.js')).sshConfigCommand,
  schema: async () => (await import('./schema.js')).schemaCommand,
  doc: async () => (await import('./doc.js')).docCommand,
  report: async () => (await import('./report.js')).reportCommand,
  wg: async () => (await import('./wg.js')).wgCommand,
};

const guarded = new WeakSet<object>();

/**
 * A reader that goes away (`sparkbook run … | head`) must not crash a run half way through its
 * hosts with EPIPE: the run goes on unseen, and its report, retry file and exit code still count.
 */
function ignoreBrokenPipe(stream: NodeJS.WritableStream): void {
  if (guarded.has(stream) || typeof stream.on !== 'function') return;
  guarded.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  ignoreBrokenPipe(io.stdout);
  ignoreBrokenPipe(io.stderr);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name === undefined ? EXIT.input : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    const { VERSION } = await import('./version.js');
    io.stdout.write(`sparkbook ${VERSION}\n`);
    return EXIT.ok;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) throw new InputError('usage', `unknown command '${name}' (run 'sparkbook --help' for the list)`);
  return (await load())(rest, io);
}
