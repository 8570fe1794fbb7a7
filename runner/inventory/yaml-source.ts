// Parses one YAML inventory or vars file into a document whose nodes can be located as FILE:LINE:COL.
import { isAlias, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { InputError, type SourceLocation } from '../errors.js';
import { ansibleYamlOptions, markSecretValues, openVaultFile, openVaultValues, type VaultPasswords } from './yaml11.js';

/** A parsed YAML file: its document and a way to point at any node in it. */
export interface YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  /** Where a node (or the pair key) starts, 1-based. */
  at(node: Node | null | undefined): SourceLocation;
  /** Resolves aliases, so callers walk the node the alias stands for. */
  deref(node: unknown): unknown;
  /** The plain JS value of a node; alias bombs and the like become located errors. */
  value(node: Node | null | undefined): unknown;
}

/**
 * Ansible's YAML 1.1 scalars (`yes`/`no` booleans, `0644` octal; see yaml11.ts), merge keys allowed, duplicate keys NOT
 * rejected by the library: the inventory walker reports them with a message that names the
 * group or host, which the library cannot.
 */
export function parseYamlSource(source: string, file: string, vault: VaultPasswords = {}): YamlSource {
  const passwords = vault.vaultPasswords ?? [];
  const { text, vaulted } = openVaultFile(source, file, passwords, 'inventory');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    ...ansibleYamlOptions(),
    keepSourceTokens: false,
  });
  const locAt = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const first = doc.errors[0];
  if (first) {
    const msg = (first.message.split('\n')[0] ?? first.message).replace(/\s+at line \d+, column \d+:?$/, '');
    throw new InputError('inventory', `invalid YAML: ${msg}`, locAt(first.pos[0]));
  }
  const locked = openVaultValues(doc, text, passwords, locAt, 'inventory');
  if (locked[0]) throw locked[0];
  if (vaulted) markSecretValues(doc);
  const src: YamlSource = {
    file,
    doc,
    at(node) {
      const start = node?.range?.[0];
      return locAt(start ?? 0);
    },
    deref(node) {
      if (isAlias(node)) return node.resolve(doc) ?? null;
      return node;
    },
    value(node) {
      if (node === null || node === undefined) return null;
      try {
        return node.toJS(doc, { maxAliasCount: 100 }) as unknown;
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        throw new InputError('inventory', `cannot read value: ${why}`, src.at(node));
      }
    },
  };
  return src;
}

/**
 * Rejects the first duplicate key in document order, saying where the first one was. `describe`
 * words it for the context (its `path` is the visitor's: ancestors from the document down).
 */
export function rejectDuplicateKeys(
  src: YamlSource,
  describe: (key: string, path: readonly unknown[]) => string = (key) => `duplicate key '${key}'`,
): void {
  visit(src.doc, {
    Map(_key, map, path) {
      const seen = new Map<string, Node>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const k = pair.key.value === null ? '' : String(pair.key.value);
        if (k === '<<') continue;
        const first = seen.get(k);
        if (first === undefined) {
          seen.set(k, pair.key);
          continue;
        }
        throw new InputError('inventory', `${describe(k, path)} (first at line ${src.at(first).line})`, src.at(pair.key));
      }
      return undefined;
    },
  });
}
