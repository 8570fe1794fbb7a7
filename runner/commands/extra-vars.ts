// -e/--extra-vars: KEY=VALUE pairs (strings, as in Ansible), a JSON/YAML mapping, or @file.yml.
import { parse } from 'yaml';
import { InputError } from '../errors.js';
import { parseYaml, readYamlText } from '../load/yaml.js';
import { ansibleYamlOptions, type VaultPasswords } from '../inventory/yaml11.js';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkedMapping(value: unknown, source: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('vars', `${source}: extra vars must be a mapping of names to values`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!NAME.test(k) || FORBIDDEN.has(k)) throw new InputError('vars', `${source}: '${k}' is not a valid variable name`);
    out[k] = v;
  }
  return out;
}

async function parseOne(text: string, vault: VaultPasswords): Promise<Record<string, unknown>> {
  if (text.startsWith('@')) {
    const file = text.slice(1);
    // The playbook loader's reader and parser: size ceiling, no devices, strict UTF-8, no NUL,
    // unique keys, bounded aliases, every error at its FILE:LINE:COL.
    let content: string;
    try {
      content = await readYamlText(file);
    } catch (error) {
      if (error instanceof InputError && error.where === undefined) throw new InputError('vars', `-e @${file}: cannot read the file (${error.message.replace(`${file}: `, '')})`);
      throw error;
    }
    return checkedMapping(parseYaml(content, file, vault).value ?? {}, file);
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return checkedMapping(parse(trimmed, { maxAliasCount: 100, ...ansibleYamlOptions() }), '-e');
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError('vars', `-e: not a valid JSON/YAML mapping: ${trimmed.slice(0, 60)}`);
    }
  }
  const out: Record<string, unknown> = {};
  // key=value pairs separated by spaces; a value may be quoted.
  const re = /([^\s=]+)=("((?:[^"\\]|\\.)*)"|'([^']*)'|\S*)/gy;
  let rest = trimmed;
  while (rest.length > 0) {
    re.lastIndex = 0;
    const m = re.exec(rest);
    if (!m) throw new InputError('vars', `-e: expected KEY=VALUE, got '${rest.slice(0, 60)}'`);
    const key = m[1] as string;
    if (!NAME.test(key) || FORBIDDEN.has(key)) throw new InputError('vars', `-e: '${key}' is not a valid variable name`);
    out[key] = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[4] !== undefined ? m[4] : (m[2] as string);
    rest = rest.slice(m[0].length).trimStart();
  }
  return out;
}

/** Merges every -e in order: later ones win. */
export async function parseExtraVars(values: readonly string[], vault: VaultPasswords = {}): Promise<Record<string, unknown>> {
  let merged: Record<string, unknown> = {};
  for (const v of values) merged = { ...merged, ...(await parseOne(v, vault)) };
  return merged;
}
