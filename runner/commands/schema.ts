// `sparkbook schema [playbook|tasks|facts|report]`: the JSON Schemas, for editors and CI.
import { InputError } from '../errors.js';
import { buildPlaybookSchema, buildTasksFileSchema } from '../schema/playbook.js';
import { factsSchema } from '../schema/facts.js';
import { reportSchema } from '../report/report-schema.js';
import { modules } from '../../modules/index.js';
import { ACTION_MODULES } from '../schema/actions.js';
import { parseCommandArgs } from './args.js';
import type { CommandIo } from './io.js';
import { EXIT } from './exit-codes.js';

export const SCHEMAS = {
  playbook: () => buildPlaybookSchema([...modules, ...ACTION_MODULES]),
  tasks: () => buildTasksFileSchema([...modules, ...ACTION_MODULES]),
  facts: () => factsSchema,
  report: () => reportSchema,
} as const;

export function schemaText(name: keyof typeof SCHEMAS): string {
  return `${JSON.stringify(SCHEMAS[name](), null, 2)}\n`;
}

export async function schemaCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('schema', args, {});
  if (values.help) {
    io.stdout.write('Usage: sparkbook schema [playbook|tasks|facts|report]   (default: playbook)\n');
    return EXIT.ok;
  }
  const name = positionals[0] ?? 'playbook';
  if (!Object.hasOwn(SCHEMAS, name)) throw new InputError('usage', `unknown schema '${name}' (playbook, tasks, facts, report)`);
  io.stdout.write(schemaText(name as keyof typeof SCHEMAS));
  return EXIT.ok;
}
