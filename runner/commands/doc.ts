// `sparkbook doc MODULE`: a module's parameters and examples, rendered from its schema (the
// schema is the documentation: there is no second copy to drift).
import { stringify } from 'yaml';
import { InputError } from '../errors.js';
import { findModule, modules as registry } from '../../modules/index.js';
import { keysOf, moduleKeys, type AnyModule } from '../module.js';
import { ACTION_MODULES } from '../schema/actions.js';
import { didYouMean } from '../schema/validate.js';

/** What `doc` lists: the modules, and the executor's actions written like modules (set_fact, meta). */
const modules: readonly AnyModule[] = [...registry, ...ACTION_MODULES];
const actions = moduleKeys(ACTION_MODULES);
const findDocumented = (name: string): AnyModule | undefined => findModule(name) ?? actions.get(name);
import { parseCommandArgs } from './args.js';
import type { CommandIo } from './io.js';
import { EXIT } from './exit-codes.js';

interface PropertySchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly description?: string;
  readonly items?: PropertySchema;
  readonly oneOf?: readonly PropertySchema[];
  readonly anyOf?: readonly PropertySchema[];
}

function typeOf(p: PropertySchema): string {
  if (p.enum) return p.enum.map((v) => JSON.stringify(v)).join(' | ');
  const alts = p.oneOf ?? p.anyOf;
  if (alts) return alts.map(typeOf).join(' | ');
  const t = Array.isArray(p.type) ? p.type.join(' | ') : (p.type as string | undefined) ?? 'any';
  if (t === 'array' && p.items) return `list of ${typeOf(p.items)}`;
  return t;
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

export function renderModuleDoc(name: string): string {
  const module = findDocumented(name);
  if (!module) {
    const names = modules.map((m) => m.name).join(', ');
    const near = didYouMean(name, modules.flatMap(keysOf));
    throw new InputError('usage', `unknown module '${name}'${near !== undefined ? ` (did you mean '${near}'?)` : ''}; modules: ${names}`);
  }
  const schema = module.schema as { properties?: Record<string, PropertySchema>; required?: readonly string[]; examples?: readonly unknown[] };
  const required = new Set(schema.required ?? []);
  const out: string[] = [`${module.name} — ${module.summary}`];
  if (module.aliases && module.aliases.length > 0) out.push(`Also: ${module.aliases.join(', ')}`);
  if (module.freeForm !== undefined) out.push(`Free form: '${module.name}: <string>' fills '${module.freeForm}'.`);
  out.push('', 'Parameters:');
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const flags = [required.has(key) ? 'required' : undefined, prop.default !== undefined ? `default: ${JSON.stringify(prop.default)}` : undefined, module.secretParams?.includes(key) ? 'secret: masked in all output' : undefined].filter(Boolean);
    out.push(`  ${key}  (${typeOf(prop)}${flags.length ? `; ${flags.join('; ')}` : ''})`);
    if (prop.description) out.push(wrap(prop.description, 76, '      '));
  }
  if (schema.examples && schema.examples.length > 0) {
    out.push('', 'Examples:');
    for (const example of schema.examples) {
      const task = [{ name: `Example of ${name}`, [name]: example }];
      out.push(stringify(task).trimEnd().split('\n').map((l) => `  ${l}`).join('\n'));
    }
  }
  return `${out.join('\n')}\n`;
}

export async function docCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('doc', args, { list: { type: 'boolean', short: 'l' } });
  if (values.help) {
    io.stdout.write('Usage: sparkbook doc [MODULE] | doc -l\n\nA module\'s parameters and examples (MODULE: its name or any alias, ansible.builtin.copy).\nWithout MODULE, or with -l/--list, lists the modules with their aliases.\n');
    return EXIT.ok;
  }
  const name = positionals[0];
  if (name === undefined || values.list) {
    const width = Math.max(...modules.map((m) => m.name.length));
    for (const m of modules) {
      const aka = m.aliases && m.aliases.length > 0 ? ` (also: ${m.aliases.join(', ')})` : '';
      io.stdout.write(`${m.name.padEnd(width)}  ${m.summary}${aka}\n`);
    }
    return EXIT.ok;
  }
  io.stdout.write(renderModuleDoc(name));
  return EXIT.ok;
}
