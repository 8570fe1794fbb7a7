// Puts one inventory's marked section into an ssh config's text, every other byte kept. A new
// section goes first: ssh takes the first value of an option, so a later `Host *` of the user's
// cannot override what sparkbook resolved (and the section ends with `Host *`, see renderSection).
import { InputError } from '../errors.js';

const BEGIN = /^# BEGIN sparkbook \(inventory (.*)\)$/;
const END = /^# END sparkbook \(inventory (.*)\)$/;

interface Section {
  readonly inventory: string;
  /** Offsets in the text: from the BEGIN line's start to just after the END line's newline. */
  readonly start: number;
  readonly end: number;
}

/** Every marked section; broken markers (BEGIN without END, END without BEGIN, mismatched) are an error naming the line. */
export function findSections(text: string, file: string): Section[] {
  const sections: Section[] = [];
  let open: { inventory: string; start: number; line: number } | undefined;
  let offset = 0;
  let lineNo = 0;
  while (offset < text.length) {
    const nl = text.indexOf('\n', offset);
    const next = nl < 0 ? text.length : nl + 1;
    const line = text.slice(offset, nl < 0 ? text.length : nl).replace(/\r$/, '');
    lineNo++;
    const begin = BEGIN.exec(line);
    const end = END.exec(line);
    const where = { file, line: lineNo, col: 1 };
    if (begin) {
      if (open) throw new InputError('ssh-config', `'# BEGIN sparkbook' at line ${open.line} has no '# END sparkbook' before the next BEGIN (line ${lineNo}); fix the markers by hand, the file was not changed`, { file, line: open.line, col: 1 });
      open = { inventory: begin[1] as string, start: offset, line: lineNo };
    } else if (end) {
      if (!open) throw new InputError('ssh-config', `'# END sparkbook' at line ${lineNo} without a '# BEGIN sparkbook' before it; fix the markers by hand, the file was not changed`, where);
      if (end[1] !== open.inventory) throw new InputError('ssh-config', `'# END sparkbook' at line ${lineNo} names inventory ${end[1]}, but the BEGIN at line ${open.line} names ${open.inventory}; the file was not changed`, where);
      sections.push({ inventory: open.inventory, start: open.start, end: next });
      open = undefined;
    }
    offset = next;
  }
  if (open) throw new InputError('ssh-config', `'# BEGIN sparkbook' at line ${open.line} has no '# END sparkbook'; fix the markers by hand, the file was not changed`, { file, line: open.line, col: 1 });
  return sections;
}

/**
 * The text with `section` (renderSection's output) in place of the inventory's marked section, or
 * in front of everything when there is none. Merging the same section twice gives the same bytes.
 */
export function mergeSection(text: string, inventory: string, section: string, file: string): string {
  const sections = findSections(text, file).filter((s) => s.inventory === inventory);
  if (sections.length > 1) throw new InputError('ssh-config', `inventory ${inventory} has ${sections.length} sparkbook sections; keep one by hand, the file was not changed`, { file, line: 1, col: 1 });
  const existing = sections[0];
  if (existing) {
    // A section that was the file's last line without a newline keeps that shape.
    const tail = existing.end === text.length && !text.endsWith('\n') ? section.replace(/\n$/, '') : section;
    return text.slice(0, existing.start) + tail + text.slice(existing.end);
  }
  return text === '' ? section : `${section}\n${text}`;
}

/** The text without the inventory's section: what sparkbook resolves hosts against, so an old block never feeds its own values back. */
export function withoutSection(text: string, inventory: string, file: string): string {
  let out = text;
  for (const s of findSections(text, file).filter((x) => x.inventory === inventory).reverse()) out = out.slice(0, s.start) + out.slice(s.end);
  return out;
}
