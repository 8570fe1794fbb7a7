// Ansible's YAML, shared by the playbook and inventory loaders so a value means the same everywhere:
// PyYAML's YAML 1.1 plain scalars (what Ansible really reads: `become: yes`) and Ansible Vault.
import { isScalar, visit, type Document, type ParseOptions, type DocumentOptions, type SchemaOptions, type ScalarTag, type Tags } from 'yaml';
import { InputError, type SourceLocation } from '../errors.js';
import { Secret } from '../shell/secret.js';
import { decryptVault, isVaultText } from '../vault/decrypt.js';

// The regular expressions are PyYAML's (yaml/resolver.py), not the YAML 1.1 spec's nor the yaml
// package's 'yaml-1.1' schema: PyYAML leaves `y`/`n` strings, reads `1e3` as a string (a float
// needs a dot) and `0o644` as a string, and Ansible users' files were written against PyYAML.
const BOOL_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOL_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL = /^(?:~|null|Null|NULL|)$/;

/** PyYAML's construct_yaml_int: `0b`, `0x`, a leading 0 is octal, `a:b:c` is base 60. */
export function yaml11Int(source: string): number {
  let text = source.replace(/_/g, '');
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    if (text[0] === '-') sign = -1;
    text = text.slice(1);
  }
  if (text === '0') return 0;
  if (text.startsWith('0b')) return sign * parseInt(text.slice(2), 2);
  if (text.startsWith('0x')) return sign * parseInt(text.slice(2), 16);
  if (text.startsWith('0')) return sign * parseInt(text, 8);
  if (text.includes(':')) return sign * base60(text);
  return sign * parseInt(text, 10);
}

/** PyYAML's construct_yaml_float, `.inf`, `.nan` and `a:b.c` included. */
export function yaml11Float(source: string): number {
  let text = source.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    if (text[0] === '-') sign = -1;
    text = text.slice(1);
  }
  if (text === '.inf') return sign * Infinity;
  if (text === '.nan') return NaN;
  if (text.includes(':')) return sign * base60(text);
  return sign * Number(text);
}

function base60(text: string): number {
  return text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

const intTag = (test: RegExp, resolve: (s: string) => unknown, tag: string): ScalarTag => ({ tag, default: true, test, resolve, identify: () => false });

/** The resolvers above, ahead of the core schema's (which still serve strings, maps, lists, stringify). */
const PLAIN_SCALARS: ScalarTag[] = [
  intTag(NULL, () => null, 'tag:yaml.org,2002:null'),
  intTag(BOOL_TRUE, () => true, 'tag:yaml.org,2002:bool'),
  intTag(BOOL_FALSE, () => false, 'tag:yaml.org,2002:bool'),
  intTag(INT, yaml11Int, 'tag:yaml.org,2002:int'),
  intTag(FLOAT, yaml11Float, 'tag:yaml.org,2002:float'),
];

const RESOLVED_BY_US = new Set(['tag:yaml.org,2002:null', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float']);

/**
 * Options for `parseDocument` that read plain scalars as Ansible does. The core schema's own
 * resolvers for the same tags are dropped from plain-scalar resolution (test removed) but kept for
 * explicit tags (`!!int 3`) and for stringify. `extra` adds tags such as `!vault`.
 */
export function ansibleYamlOptions(extra: readonly ScalarTag[] = [VAULT_TAG]): ParseOptions & DocumentOptions & SchemaOptions {
  return {
    version: '1.1',
    schema: 'core',
    merge: true,
    customTags: (tags: Tags): Tags => [
      ...PLAIN_SCALARS,
      ...extra,
      ...tags.map((t) => (typeof t === 'object' && 'test' in t && RESOLVED_BY_US.has(t.tag) ? { ...t, test: undefined } : t)),
    ] as Tags,
  };
}

/**
 * `!vault |` inline values: the tag keeps the envelope text only until openVaultValues replaces
 * it, so no later step can mistake ciphertext for a value.
 */
export const VAULT_TAG: ScalarTag = { tag: '!vault', default: false, resolve: (s: string) => s, identify: () => false };

/** Vault passwords the loaders may use; none means a vaulted value is an error. */
export interface VaultPasswords {
  readonly vaultPasswords?: readonly string[];
}

/**
 * Decrypts every `!vault` scalar of `doc` in place. The plaintext is registered as a Secret (every
 * reporter scrubs it); a value that cannot be decrypted becomes null and a located error, so the
 * caller refuses the file and the envelope is never used.
 */
export function openVaultValues(doc: Document.Parsed, text: string, passwords: readonly string[], at: (offset: number) => SourceLocation, kind: 'yaml' | 'inventory'): InputError[] {
  const errors: InputError[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (node.tag !== '!vault') return undefined;
      const envelope = typeof node.value === 'string' ? node.value : '';
      node.value = null;
      // A tagged scalar's range starts at its value; the error points at the tag the user wrote.
      const start = node.range?.[0] ?? 0;
      const tag = text.lastIndexOf('!vault', start);
      const where = at(tag >= 0 ? tag : start);
      const result = decryptVault(envelope, passwords);
      if (!result.ok) {
        errors.push(new InputError(kind, `!vault: ${result.failure.message}`, where));
        return undefined;
      }
      new Secret(result.plaintext);
      node.value = result.plaintext;
      return undefined;
    },
  });
  return errors;
}

/**
 * A whole file encrypted with `ansible-vault encrypt`: its decrypted YAML text, every value of
 * which is secret (markSecretValues); a text that is not vaulted is returned as it is.
 */
export function openVaultFile(text: string, file: string, passwords: readonly string[], kind: 'yaml' | 'inventory'): { text: string; vaulted: boolean } {
  if (!isVaultText(text)) return { text, vaulted: false };
  const result = decryptVault(text, passwords);
  if (!result.ok) throw new InputError(kind, `this file is ${result.failure.kind === 'password' && passwords.length === 0 ? '' : 'vaulted: '}${result.failure.message}`, { file, line: 1, col: 1 });
  return { text: result.plaintext, vaulted: true };
}

/** Registers every string scalar of a decrypted file as a Secret, so reporters scrub them all. */
export function markSecretValues(doc: Document.Parsed): void {
  visit(doc, {
    Pair(_key, pair) {
      const v = pair.value;
      if (isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number')) new Secret(String(v.value));
      return undefined;
    },
    Seq(_key, seq) {
      for (const item of seq.items) if (isScalar(item) && typeof item.value === 'string') new Secret(item.value);
      return undefined;
    },
  });
}
