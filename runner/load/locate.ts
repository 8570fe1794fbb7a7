// Maps a JSON path inside a parsed YAML document (['0', 'tasks', 2, 'file', 'mode']) to the
// FILE:LINE:COL of its value, of its key, or of the first character of a string's text.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourceLocation } from '../errors.js';
import type { JsonPath, Locator } from '../schema/locator.js';
import { positionAt, type YamlFile } from './yaml.js';

interface Found {
  /** The deepest node reached. */
  readonly node: Node | null;
  /** The key node of the last step, when the whole path was found and it ends in a key. */
  readonly keyNode?: Node;
  /** Whether every step of the path was found. */
  readonly complete: boolean;
  /** The node of the deepest complete step's parent, used when a step has no value node. */
  readonly fallback: Node | null;
}

function find(doc: Document, path: JsonPath): Found {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  let parent: Node | null = null;
  for (const step of path) {
    if (isAlias(node)) node = node.resolve(doc);
    keyNode = undefined;
    if (isMap(node)) {
      const pair = [...node.items].reverse().find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return { node: node as Node, complete: false, fallback: parent };
      parent = node as Node;
      keyNode = pair.key as Node;
      node = pair.value;
      if (node === null || node === undefined) return { node: null, keyNode, complete: true, fallback: keyNode };
    } else if (isSeq(node) && /^[0-9]+$/.test(String(step))) {
      const item: unknown = node.items[Number(step)];
      if (item === undefined) return { node: node as Node, complete: false, fallback: parent };
      parent = node as Node;
      node = item;
    } else {
      return { node: (node ?? null) as Node | null, complete: false, fallback: parent };
    }
  }
  const found: Found = { node: (node ?? null) as Node | null, complete: true, fallback: parent };
  return keyNode ? { ...found, keyNode } : found;
}

function startOf(yaml: YamlFile, node: Node | null | undefined): SourceLocation {
  return positionAt(yaml, node?.range?.[0] ?? 0);
}

/** Where the value at `path` is in `doc` (the nearest existing ancestor when it is missing). */
export function locate(doc: Document, lineCounter: LineCounter, path: JsonPath, file: string): SourceLocation {
  return makeLocator({ file, doc: doc as Document.Parsed, lineCounter, text: '' }).value(path);
}

/** Where the KEY of the last step of `path` is: for errors about the key itself (unknown property). */
export function locateKey(doc: Document, lineCounter: LineCounter, path: JsonPath, file: string): SourceLocation {
  return makeLocator({ file, doc: doc as Document.Parsed, lineCounter, text: '' }).key(path);
}

/** A Locator over one parsed file. */
export function makeLocator(yaml: YamlFile): Locator {
  const value = (path: JsonPath): SourceLocation => {
    const found = find(yaml.doc, path);
    if (found.node) return startOf(yaml, found.node);
    if (found.keyNode) return startOf(yaml, found.keyNode);
    return startOf(yaml, found.fallback);
  };
  return {
    file: yaml.file,
    value,
    key(path) {
      const found = find(yaml.doc, path);
      if (found.complete && found.keyNode) return startOf(yaml, found.keyNode);
      return value(path);
    },
    text(path) {
      const found = find(yaml.doc, path);
      const node = found.node;
      if (!found.complete || !isScalar(node) || !node.range) return value(path);
      const start = node.range[0];
      if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return positionAt(yaml, start + 1);
      if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && yaml.text !== '') {
        const newline = yaml.text.indexOf('\n', start);
        if (newline < 0) return positionAt(yaml, start);
        let at = newline + 1;
        while (yaml.text[at] === ' ') at++;
        return positionAt(yaml, at);
      }
      return positionAt(yaml, start);
    },
  };
}

/** A Locator for values that did not come from a file (tests, generated data): always `where`. */
export function fixedLocator(where: SourceLocation): Locator {
  return { file: where.file, value: () => where, key: () => where, text: () => where };
}
