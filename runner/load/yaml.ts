// Reads and parses one playbook-side YAML file (playbook, tasks, vars) into a Document that keeps
// source positions, refusing what is unsafe or ambiguous: huge files, NUL bytes, bad UTF-8,
// duplicate keys, several documents, and alias bombs.
import { stat } from 'node:fs/promises';
import { readAtMost } from '../text/read-at-most.js';
import { firstInvalidUtf8 } from '../text/utf8.js';
import { isAlias, isCollection, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node, type YAMLError } from 'yaml';
import { InputError, InputErrors, type SourceLocation } from '../errors.js';
import { ansibleYamlOptions, markSecretValues, openVaultFile, openVaultValues, type VaultPasswords } from '../inventory/yaml11.js';

/** Files larger than this are refused before they are read: no playbook is near it. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Values that aliases may add to one document in all (billion laughs stops long before). */
export const MAX_ALIAS_EXPANSION = 100_000;

/** The yaml library's own guard, kept as a second line of defence. */
const MAX_ALIAS_COUNT = 100;

/** A parsed file: its text, its document and the line table that maps offsets to positions. */
export interface YamlFile {
  /** The path as the user (or the importing file) wrote it: relative stays relative. */
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

/** A parsed file and its plain value. */
export interface LoadedYaml {
  readonly yaml: YamlFile;
  readonly value: unknown;
}

/**
 * Reads `file` as strict UTF-8 (a BOM is dropped). Missing files, directories and files over
 * MAX_FILE_BYTES are InputError('file') without a location: the caller knows who asked for it.
 */
export async function readYamlText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new InputError('file', `${file}: is a directory, expected a YAML file`);
    // A pipe is allowed (`sparkbook run <(generate)`); a device or socket is not (/dev/zero never ends).
    if (!info.isFile() && !info.isFIFO()) throw new InputError('file', `${file}: not a regular file`);
    if (info.size > MAX_FILE_BYTES) throw new InputError('file', `${file}: file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
    bytes = await readAtMost(file, MAX_FILE_BYTES + 1);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot read (${code ?? String(e)})`;
    throw new InputError('file', `${file}: ${why}`);
  }
  if (bytes.length > MAX_FILE_BYTES) throw new InputError('file', `${file}: file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  return decodeYamlBytes(bytes, file);
}


/** Strict UTF-8 decoding; invalid bytes and NUL bytes are errors at their line and column. */
export function decodeYamlBytes(bytes: Uint8Array, file: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    throw new InputError('yaml', `invalid UTF-8 byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} (files must be UTF-8)`, positionIn(before, before.length, file));
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) throw new InputError('yaml', 'NUL byte in file (a YAML file is text)', positionIn(text, nul, file));
  return text;
}

/**
 * Parses `text` as Ansible reads YAML (PyYAML's 1.1 scalars: `yes` is true, `0644` is 420; see
 * inventory/yaml11.ts), merge keys allowed, keys unique. Every syntax error of
 * the file becomes one located InputError('yaml'); they are thrown together as InputErrors.
 */
export function parseYaml(source: string, file: string, vault: VaultPasswords = {}): LoadedYaml {
  const passwords = vault.vaultPasswords ?? [];
  let text: string;
  let vaulted: boolean;
  try {
    ({ text, vaulted } = openVaultFile(source, file, passwords, 'yaml'));
  } catch (e) {
    if (e instanceof InputError) throw new InputErrors([e]);
    throw e;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: true,
    // Duplicate keys are found below, in linear time: the library's own check compares every
    // key with every earlier one, so a mapping of 100,000 keys (a 1.4 MB file) took minutes.
    uniqueKeys: false,
    ...ansibleYamlOptions(),
    keepSourceTokens: false,
  });
  const yaml: YamlFile = { file, text, doc, lineCounter };
  const duplicates = duplicateKeys(yaml);
  if (doc.errors.length > 0) {
    const all = [...syntaxErrors(yaml), ...duplicates];
    if (duplicates.length > 0) all.sort((a, b) => (a.where?.line ?? 0) - (b.where?.line ?? 0) || (a.where?.col ?? 0) - (b.where?.col ?? 0));
    throw new InputErrors(all);
  }
  if (duplicates.length > 0) throw new InputErrors(duplicates);
  const bomb = aliasBomb(yaml);
  if (bomb) throw new InputErrors([bomb]);
  const locked = openVaultValues(doc, text, passwords, (offset) => positionAt(yaml, offset), 'yaml');
  if (locked.length > 0) throw new InputErrors(locked);
  if (vaulted) markSecretValues(doc);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new InputErrors([new InputError('yaml', `cannot read the document: ${why}`, firstAliasWhere(yaml))]);
  }
  return { yaml, value: value === undefined ? null : value };
}

/** readYamlText then parseYaml; every failure is thrown as InputErrors. */
export async function loadYaml(file: string, vault: VaultPasswords = {}): Promise<LoadedYaml> {
  let text: string;
  try {
    text = await readYamlText(file);
  } catch (e) {
    if (e instanceof InputError) throw new InputErrors([e]);
    throw e;
  }
  return parseYaml(text, file, vault);
}

/** The 1-based position of `offset` in `yaml`'s text. */
export function positionAt(yaml: YamlFile, offset: number): SourceLocation {
  const { line, col } = yaml.lineCounter.linePos(Math.max(0, offset));
  return { file: yaml.file, line, col };
}

function positionIn(text: string, offset: number, file: string): SourceLocation {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  const last = (lines[lines.length - 1] ?? '').replace(/^\uFEFF/, '');
  return { file, line: lines.length, col: last.length + 1 };
}

/** The library's errors, reworded where a plainer message exists, in file order. */
function syntaxErrors(yaml: YamlFile): InputError[] {
  const out: InputError[] = [];
  const tab = yaml.doc.errors.some((e) => e.code === 'TAB_AS_INDENT') ? undefined : tabIndent(yaml);
  if (tab) out.push(tab);
  for (const e of yaml.doc.errors) {
    const special = reworded(yaml, e);
    if (special) {
      out.push(special);
      continue;
    }
    const first = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
    out.push(new InputError('yaml', `invalid YAML: ${lowerFirst(first)}`, positionAt(yaml, skipIndent(yaml.text, e.pos[0]))));
  }
  return out;
}

function reworded(yaml: YamlFile, e: YAMLError): InputError | undefined {
  if (e.code === 'DUPLICATE_KEY') {
    const dup = duplicateKeyAt(yaml, e.pos[0]);
    if (dup) return new InputError('yaml', `duplicate key '${dup.key}' (first at line ${dup.firstLine})`, positionAt(yaml, e.pos[0]));
    return new InputError('yaml', 'duplicate key', positionAt(yaml, e.pos[0]));
  }
  if (e.code === 'TAB_AS_INDENT') {
    return new InputError('yaml', TAB_MESSAGE, positionAt(yaml, e.pos[0]));
  }
  if (e.code === 'MISSING_CHAR' && /without - indicator/.test(e.message)) {
    return new InputError('yaml', 'bad indentation: this line lines up with none of the keys or list items above it', positionAt(yaml, skipIndent(yaml.text, e.pos[0])));
  }
  if (e.code === 'MULTIPLE_DOCS') {
    return new InputError('yaml', "a file holds one YAML document; found a second one (remove the '---')", positionAt(yaml, e.pos[0]));
  }
  if (e.code === 'MISSING_CHAR' && /closing .?quote/i.test(e.message)) {
    const open = unclosedQuoteStart(yaml, e.pos[0]);
    return new InputError('yaml', 'unclosed quote: the string that starts here never ends', positionAt(yaml, open ?? e.pos[0]));
  }
  return undefined;
}

const TAB_MESSAGE = 'tab character in indentation (YAML indents with spaces only)';

/** At the start of a line, the offset of its first non-blank character: where the reader looks. */
function skipIndent(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] !== '\n') return offset;
  let at = offset;
  while (text[at] === ' ') at++;
  return text[at] === '\n' || at >= text.length ? offset : at;
}

/**
 * YAML forbids tabs in indentation and the library then reports something obscure, so when the
 * file has errors, a tab in the indentation of a line up to the first error is named instead.
 */
function tabIndent(yaml: YamlFile): InputError | undefined {
  const firstError = Math.min(...yaml.doc.errors.map((e) => e.pos[0]));
  const lines = yaml.text.split('\n');
  let offset = 0;
  for (const line of lines) {
    if (offset > firstError) break;
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    const tab = indent.indexOf('\t');
    if (tab >= 0 && indent.length < line.length) {
      return new InputError('yaml', TAB_MESSAGE, positionAt(yaml, offset + tab));
    }
    offset += line.length + 1;
  }
  return undefined;
}

/** Every repeated scalar key of every mapping (merge keys aside), in file order: one Set per mapping. */
function duplicateKeys(yaml: YamlFile): InputError[] {
  const out: InputError[] = [];
  visit(yaml.doc, {
    Map(_k, map) {
      const seen = new Map<string, Node>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = pair.key.value === null ? '' : String(pair.key.value);
        if (key === '<<') continue;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, pair.key);
          continue;
        }
        const firstLine = positionAt(yaml, first.range?.[0] ?? 0).line;
        out.push(new InputError('yaml', `duplicate key '${key}' (first at line ${firstLine})`, positionAt(yaml, pair.key.range?.[0] ?? 0)));
      }
      return undefined;
    },
  });
  return out.sort((a, b) => (a.where?.line ?? 0) - (b.where?.line ?? 0) || (a.where?.col ?? 0) - (b.where?.col ?? 0));
}

function duplicateKeyAt(yaml: YamlFile, offset: number): { key: string; firstLine: number } | undefined {
  let found: { key: string; firstLine: number } | undefined;
  visit(yaml.doc, {
    Map(_k, map) {
      const seen = new Map<string, Node>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const first = seen.get(key);
        if (first && pair.key.range?.[0] === offset) {
          found = { key, firstLine: positionAt(yaml, first.range?.[0] ?? 0).line };
          return visit.BREAK;
        }
        if (!first) seen.set(key, pair.key);
      }
      return undefined;
    },
  });
  return found;
}

function unclosedQuoteStart(yaml: YamlFile, offset: number): number | undefined {
  let start: number | undefined;
  visit(yaml.doc, {
    Scalar(_k, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range && node.range[1] >= offset) {
        start = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return start;
}

/**
 * Counts what the aliases of the document expand to (memoised per node, so this is linear) and
 * refuses the alias that pushes the total past MAX_ALIAS_EXPANSION, or one that contains itself.
 */
function aliasBomb(yaml: YamlFile): InputError | undefined {
  const targets = aliasTargets(yaml.doc);
  const sizes = new Map<unknown, number>();
  const active = new Set<unknown>();
  let cyclic: Node | undefined;
  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const target = targets.get(node);
      if (target === undefined) return 1;
      if (active.has(target)) {
        cyclic ??= node;
        return 1;
      }
      return size(target);
    }
    if (isPair(node)) return size(node.key) + size(node.value);
    if (!isCollection(node)) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    active.add(node);
    let total = 1;
    for (const item of node.items as unknown[]) total += size(item);
    active.delete(node);
    sizes.set(node, total);
    return total;
  };
  let total = 0;
  let error: InputError | undefined;
  visit(yaml.doc, {
    Alias(_k, node) {
      const target = targets.get(node);
      total += target === undefined ? 1 : size(target);
      if (cyclic) {
        error = new InputError('yaml', `alias '*${node.source}' refers to a value that contains it`, positionAt(yaml, node.range?.[0] ?? 0));
        return visit.BREAK;
      }
      if (total > MAX_ALIAS_EXPANSION) {
        error = new InputError(
          'yaml',
          `aliases expand to more than ${MAX_ALIAS_EXPANSION} values at '*${node.source}' (an alias bomb?)`,
          positionAt(yaml, node.range?.[0] ?? 0),
        );
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return error;
}

/**
 * What each alias refers to: the last node before it (in document order) with its anchor, as
 * Alias.resolve() finds it, but in one pass: resolve() walks the whole document per alias, which
 * made a file of a few thousand anchors take tens of seconds.
 */
function aliasTargets(doc: Document.Parsed): Map<unknown, unknown> {
  const anchors = new Map<string, unknown>();
  const targets = new Map<unknown, unknown>();
  visit(doc, {
    Node(_k, node) {
      if (isAlias(node)) targets.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
      return undefined;
    },
  });
  return targets;
}

function firstAliasWhere(yaml: YamlFile): SourceLocation {
  let at = 0;
  visit(yaml.doc, {
    Alias(_k, node) {
      at = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return positionAt(yaml, at);
}

function lowerFirst(s: string): string {
  return s.length > 0 && /^[A-Z][a-z]/.test(s) ? (s[0] ?? '').toLowerCase() + s.slice(1) : s;
}
