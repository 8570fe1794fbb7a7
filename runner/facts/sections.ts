// Splits the facts script's output into its tagged sections (`@@sparkbook:NAME rc=N|missing`).
import { END_SECTION, SECTION_MARK } from './script.js';

/** One command's part of the output: how it ended, and what it printed on stdout. */
export interface Section {
  readonly name: string;
  /** The command's exit code; null when its tool is missing on the host. */
  readonly rc: number | null;
  readonly missing: boolean;
  /** stdout with the trailing newline removed ('' when it printed nothing). */
  readonly body: string;
}

export interface Sections {
  readonly byName: ReadonlyMap<string, Section>;
  /** The script reached its last line (a timed-out or killed run did not). */
  readonly complete: boolean;
}

const HEADER = new RegExp(`^${SECTION_MARK}([a-z0-9-]+) (?:rc=(\\d+)|(missing))$`);

export function splitSections(stdout: string): Sections {
  const byName = new Map<string, Section>();
  let current: { name: string; rc: number | null; missing: boolean; lines: string[] } | null = null;
  const close = (): void => {
    if (current === null) return;
    byName.set(current.name, { name: current.name, rc: current.rc, missing: current.missing, body: current.lines.join('\n') });
  };
  for (const line of stdout.replace(/\r\n/g, '\n').split('\n')) {
    const m = HEADER.exec(line);
    if (m !== null) {
      close();
      const [, name = '', rc, missing] = m;
      current = { name, rc: rc === undefined ? null : Number(rc), missing: missing !== undefined, lines: [] };
    } else if (current !== null) {
      current.lines.push(line);
    }
  }
  close();
  // The body ends with the newline that closed its last line; drop only that.
  for (const [name, s] of byName) {
    if (s.body.endsWith('\n') || s.body === '') byName.set(name, { ...s, body: s.body.replace(/\n$/, '') });
  }
  return { byName, complete: byName.has(END_SECTION) };
}

/** The body of a section whose command ran and printed something; null otherwise. */
export function bodyOf(sections: Sections, name: string): string | null {
  const s = sections.byName.get(name);
  if (s === undefined || s.missing || s.body.trim() === '') return null;
  return s.body;
}

/** The body of a section only when its command also exited 0. */
export function okBodyOf(sections: Sections, name: string): string | null {
  const s = sections.byName.get(name);
  return s !== undefined && s.rc === 0 ? bodyOf(sections, name) : null;
}
