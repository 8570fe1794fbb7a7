// INI text as Python's configparser reads it with the options Ansible uses for ansible.cfg
// (`ConfigParser(inline_comment_prefixes=(';',))`, read with raw=True): the same keys, values
// and errors, so an ansible.cfg means here what it means to ansible-core. Recorded against
// Python 3.11's configparser: test/fixtures/ini/configparser-cases.json (scripts/record-configparser.py).
//
// - `[section]` headers (the name is everything between the first `[` and the last `]` of the
//   line's text); `[DEFAULT]` holds fallbacks for every section.
// - `key = value` or `key: value`: split at the first `=` or `:`; keys lowercased, both trimmed.
// - Full-line comments start with `#` or `;` (indented too); an inline comment is `;` at the
//   line's start or after whitespace (`#` is never inline: `a = b # c` is the value `b # c`).
// - A line indented deeper than its key's line continues the value (joined with newlines);
//   blank lines inside a value are kept, trailing ones dropped.
// - Errors, as configparser raises them: a key before any section, a duplicate section or key
//   (fatal at once), a line that is neither (collected, all reported).
import { InputError, InputErrors, type SourceLocation } from '../errors.js';

export interface IniEntry {
  readonly value: string;
  /** Where the key is (1-based line, column of its first character). */
  readonly where: SourceLocation;
}

export interface IniDocument {
  /** Sections in file order; keys in file order, lowercased. `DEFAULT` is not among them. */
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, IniEntry>>;
  /** The `[DEFAULT]` section: each key is a fallback for every section. */
  readonly defaults: ReadonlyMap<string, IniEntry>;
}

const DEFAULT_SECTION = 'DEFAULT';
const SECTION_RE = /^\[(.+)\]/s;
// configparser's OPTCRE: the shortest key before the first delimiter.
const OPTION_RE = /^(.*?)\s*([=:])\s*(.*)$/s;

/** Where a configparser-like inline `;` comment starts in `line`, or -1. */
function inlineCommentStart(line: string): number {
  for (let i = line.indexOf(';'); i >= 0; i = line.indexOf(';', i + 1)) {
    if (i === 0 || /\s/.test(line[i - 1] as string)) return i;
  }
  return -1;
}

/** Python's str.strip(): whitespace at both ends (Python's notion of whitespace is close enough to JS's here). */
const strip = (s: string): string => s.trim();

interface Building {
  lines: string[];
  readonly where: SourceLocation;
}

/** Parses INI text; throws an InputError (kind `file`) located at FILE:LINE, or InputErrors for several bad lines. */
export function parseIni(text: string, file: string): IniDocument {
  const sections = new Map<string, Map<string, Building>>();
  const defaults = new Map<string, Building>();
  const added = new Set<string>();
  const bad: InputError[] = [];
  let current: Map<string, Building> | undefined;
  let sectionName = '';
  let option: string | undefined;
  let indentLevel = 0;
  // Python's StringIO splits at \n only; a \r before it is whitespace that strip() removes.
  const lines = text.split('\n');
  // Python iterates lines with their newline; a final newline makes no extra line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const at = (line: number, col = 1): SourceLocation => ({ file, line, col });

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    let commentStart = inlineCommentStart(raw);
    if (/^[#;]/.test(strip(raw))) commentStart = 0;
    const value = strip(commentStart >= 0 ? raw.slice(0, commentStart) : raw);
    if (value === '') {
      // A blank line (not a comment-only one) inside a value is kept as an empty line of it.
      if (commentStart < 0 && current !== undefined && option !== undefined) current.get(option)?.lines.push('');
      return;
    }
    const indent = raw.search(/\S/);
    if (current !== undefined && option !== undefined && indent > indentLevel) {
      current.get(option)?.lines.push(value);
      return;
    }
    indentLevel = indent;
    const header = SECTION_RE.exec(value);
    if (header) {
      const name = header[1] as string;
      if (name === DEFAULT_SECTION) current = defaults;
      else {
        if (added.has(`[${name}`)) throw new InputError('file', `section '${name}' is already defined earlier in the file`, at(lineNo, indent + 1));
        added.add(`[${name}`);
        current = sections.get(name) ?? new Map();
        sections.set(name, current);
      }
      sectionName = name;
      option = undefined;
      return;
    }
    if (current === undefined) throw new InputError('file', `'${value}' comes before any [section] header`, at(lineNo, indent + 1));
    const m = OPTION_RE.exec(value);
    if (!m || m[1] === '') {
      bad.push(new InputError('file', `'${value}' is not 'key = value' or 'key: value'`, at(lineNo, indent + 1)));
      return;
    }
    const key = (m[1] as string).trimEnd().toLowerCase();
    if (added.has(`${sectionName}\u0000${key}`)) throw new InputError('file', `'${key}' is already set in section '${sectionName}'`, at(lineNo, indent + 1));
    added.add(`${sectionName}\u0000${key}`);
    current.set(key, { lines: [strip(m[3] as string)], where: at(lineNo, indent + 1) });
    option = key;
  });
  if (bad.length === 1) throw bad[0] as InputError;
  if (bad.length > 1) throw new InputErrors(bad);

  const finish = (map: Map<string, Building>): Map<string, IniEntry> =>
    new Map([...map].map(([k, b]) => [k, { value: b.lines.join('\n').trimEnd(), where: b.where }]));
  return { sections: new Map([...sections].map(([name, map]) => [name, finish(map)])), defaults: finish(defaults) };
}

/** A key of a section, falling back to `[DEFAULT]` as configparser's get does; undefined when neither has it. */
export function iniGet(doc: IniDocument, section: string, key: string): IniEntry | undefined {
  const own = doc.sections.get(section);
  // configparser: a section the file lacks has no keys at all, not even DEFAULT's.
  if (own === undefined) return undefined;
  return own.get(key.toLowerCase()) ?? doc.defaults.get(key.toLowerCase());
}
