// sshd_config text as pure edits: the sparkbook drop-in, commenting out directives that would
// beat it (first value wins; Port accumulates across files), and the Include rewrite that
// points a staged copy of the main file at a staged drop-in directory.
import { TaskError } from '../../runner/errors.js';

export const SSHD_MAIN = '/etc/ssh/sshd_config';
export const SSHD_DROPIN_DIR = '/etc/ssh/sshd_config.d';
/**
 * Sorts before Ubuntu's 50-cloud-init.conf: sshd takes the first value of a keyword it reads,
 * and the main file includes the drop-ins (in glob order) before its own settings.
 */
export const SPARKBOOK_DROPIN = `${SSHD_DROPIN_DIR}/01-sparkbook.conf`;

export interface Directive {
  /** Lower-cased keyword. */
  readonly keyword: string;
  readonly args: string;
  /** 0-based line index. */
  readonly line: number;
  /** Inside a Match block (conditional). */
  readonly inMatch: boolean;
}

const KEYWORD = /^[A-Za-z][A-Za-z0-9]*$/;

/** The active directives of a config text (comments and blanks skipped). */
export function directives(text: string): Directive[] {
  const out: Directive[] = [];
  let inMatch = false;
  text.split('\n').forEach((raw, line) => {
    const m = /^\s*([A-Za-z][A-Za-z0-9]*)(?:\s*=\s*|\s+)(.*?)\s*$/.exec(raw);
    if (m === null || raw.trimStart().startsWith('#')) return;
    const keyword = (m[1] as string).toLowerCase();
    if (keyword === 'match') inMatch = true;
    out.push({ keyword, args: m[2] as string, line, inMatch });
  });
  return out;
}

/** Settings as sshd_config lines, in a stable order (Port lines first). */
export function renderDropIn(ports: readonly number[] | null, settings: ReadonlyMap<string, string>): string {
  const lines = ['# Managed by sparkbook (sshd_config module): it sorts first, and sshd keeps the first value of each keyword.'];
  for (const port of ports ?? []) lines.push(`Port ${port}`);
  for (const [key, value] of settings) {
    if (!KEYWORD.test(key)) throw new TaskError('module', `sshd_config: ${JSON.stringify(key)} is not an sshd_config keyword`);
    const lower = key.toLowerCase();
    if (lower === 'match' || lower === 'include' || lower === 'port') {
      throw new TaskError('module', `sshd_config: ${key} cannot be set in settings${lower === 'port' ? ' (use the port parameter)' : ''}`);
    }
    if (/[\r\n]/.test(value) || value.trim() === '') throw new TaskError('module', `sshd_config: the value of ${key} must be one non-empty line`);
    lines.push(`${key} ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

const DISABLED = '# disabled by sparkbook, see 01-sparkbook.conf:';

/**
 * Comments out active directives whose keyword is in `keywords`, outside Match blocks and
 * (when `beforeLine` is given) only above that line. Idempotent: a commented line stays as is.
 */
export function commentOut(text: string, keywords: ReadonlySet<string>, beforeLine = Number.POSITIVE_INFINITY): string {
  const lines = text.split('\n');
  for (const d of directives(text)) {
    if (d.inMatch || d.line >= beforeLine || !keywords.has(d.keyword)) continue;
    lines[d.line] = `${DISABLED} ${lines[d.line] as string}`;
  }
  return lines.join('\n');
}

/** Whether an Include argument names the live drop-in directory's glob. */
function includesDropIns(arg: string): boolean {
  return arg.split(/\s+/).some((a) => a === `${SSHD_DROPIN_DIR}/*.conf` || a === 'sshd_config.d/*.conf');
}

/** The 0-based line of the Include of sshd_config.d/*.conf, or -1 (before any Match). */
export function includeLine(text: string): number {
  const d = directives(text).find((x) => x.keyword === 'include' && !x.inMatch && includesDropIns(x.args));
  return d === undefined ? -1 : d.line;
}

/** The main file with an Include of the drop-ins as its first line, when it has none. */
export function ensureInclude(text: string): string {
  if (includeLine(text) >= 0) return text;
  return `Include ${SSHD_DROPIN_DIR}/*.conf\n${text}`;
}

/** The main file rewritten so its drop-in Include reads `stagedDropInDir` instead. */
export function stageMain(text: string, stagedDropInDir: string): string {
  const lines = text.split('\n');
  for (const d of directives(text)) {
    if (d.keyword !== 'include' || !includesDropIns(d.args)) continue;
    lines[d.line] = `Include ${stagedDropInDir}/*.conf`;
  }
  return lines.join('\n');
}

/** Ports given inside ListenAddress (`0.0.0.0:22`, `[::]:22`), which override Port. */
export function listenAddressPorts(text: string): string[] {
  return directives(text)
    .filter((d) => d.keyword === 'listenaddress' && /(?:^\[.*\]:\d+|^[^:\s]+:\d+)(?:\s|$)/.test(d.args))
    .map((d) => d.args);
}
