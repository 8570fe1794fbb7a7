// `sparkbook inventory`: show an inventory as a graph, as ansible-inventory's JSON, or one host's vars.
import { InputError } from '../errors.js';
import { loadInventory, renderGraph, renderList } from '../inventory/index.js';
import { stableStringify } from '../report/stable-json.js';
import { redact } from '../report/redact.js';
import { parseCommandArgs } from './args.js';
import type { CommandIo } from './io.js';
import { EXIT } from './exit-codes.js';
import { loadAnsibleConfig } from './ansible-cfg.js';
import { inventoryPathOf } from './command-inputs.js';

const HELP = `Usage: sparkbook inventory -i PATH [--graph [GROUP]] [--vars] [--list] [--host NAME]

  -i, --inventory PATH   inventory file or directory (default: ansible.cfg's inventory, else this machine)
      --graph            the groups and hosts as a tree (default)
      --vars             with --graph: show variables too
      --list             everything as JSON (like ansible-inventory --list)
      --host NAME        one host's merged variables as JSON
`;

export async function inventoryCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('inventory', args, {
    inventory: { type: 'string', short: 'i' },
    graph: { type: 'boolean' },
    vars: { type: 'boolean' },
    list: { type: 'boolean' },
    host: { type: 'string' },
    export: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const config = await loadAnsibleConfig(io);
  const inventory = await loadInventory(inventoryPathOf(values, config));
  for (const w of inventory.warnings) io.stderr.write(`warning: ${w.where ? `${w.where.file}:${w.where.line}:${w.where.col}: ` : ''}${w.message}\n`);
  if (values.host !== undefined) {
    const host = inventory.hosts.get(values.host);
    if (!host) throw new InputError('usage', `no host '${values.host}' in the inventory`);
    io.stdout.write(`${redact(stableStringify(host.vars, 2))}\n`);
    return EXIT.ok;
  }
  if (values.list) {
    io.stdout.write(`${redact(renderList(inventory, { export: values.export ?? false }))}\n`);
    return EXIT.ok;
  }
  const group = positionals[0];
  io.stdout.write(`${redact(renderGraph(inventory, { ...(group !== undefined ? { group } : {}), vars: values.vars ?? false }))}\n`);
  return EXIT.ok;
}
