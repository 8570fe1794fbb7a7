// Unified diffs of text: our own Myers line diff, as Terraform owns its LCS. Text in, text out, so
// it stands beneath both the executor that makes a change's diff and the reporters that print it.

/** Larger inputs (both sides together, in bytes) are summarised instead of diffed. */
export const MAX_DIFF_BYTES = 256 * 1024;

/** Past this many differing lines the diff is "remove all, add all": still a correct patch. */
export const MAX_EDIT_DISTANCE = 2000;

export const BINARY_DIFFERS = 'Binary content differs\n';
export const NO_NEWLINE = '\\ No newline at end of file';

interface Line {
  readonly text: string;
  /** False only for a last line without its newline. */
  readonly eol: boolean;
}

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: Line; readonly oldIndex: number; readonly newIndex: number };

/**
 * The unified diff from `before` to `after` with `context` lines around each change, or '' when
 * they are equal. Binary content (a NUL byte) and oversized inputs get a one-line summary.
 */
export function renderUnifiedDiff(
  before: string,
  after: string,
  labels: { before: string; after: string },
  context = 3,
): string {
  if (before === after) return '';
  if (before.includes('\0') || after.includes('\0')) return BINARY_DIFFERS;
  const size = Buffer.byteLength(before) + Buffer.byteLength(after);
  if (size > MAX_DIFF_BYTES) return `(diff too large: ${size} bytes)\n`;
  const oldLines = splitLines(before);
  const newLines = splitLines(after);
  const ops = diffLines(oldLines, newLines);
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  for (const hunk of groupHunks(ops, Math.max(0, Math.floor(context)))) out.push(...renderHunk(hunk));
  return out.join('\n') + '\n';
}

function splitLines(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const last = parts.pop() as string;
  const lines: Line[] = parts.map((part) => ({ text: part, eol: true }));
  if (last !== '') lines.push({ text: last, eol: false });
  return lines;
}

/** The edit script, as a sequence of kept, removed and added lines in file order. */
function diffLines(a: readonly Line[], b: readonly Line[]): Op[] {
  // Lines become small integers so the inner loop compares numbers, not strings.
  const ids = new Map<string, number>();
  const idOf = (line: Line): number => {
    const key = line.eol ? `${line.text}\n` : line.text;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  };
  const x = a.map(idOf);
  const y = b.map(idOf);
  // Common prefix and suffix cost nothing and shrink the search.
  let prefix = 0;
  while (prefix < x.length && prefix < y.length && x[prefix] === y[prefix]) prefix++;
  let suffix = 0;
  while (suffix < x.length - prefix && suffix < y.length - prefix && x[x.length - 1 - suffix] === y[y.length - 1 - suffix]) suffix++;
  const middle = myers(x.slice(prefix, x.length - suffix), y.slice(prefix, y.length - suffix));
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  const keep = (): void => {
    ops.push({ kind: ' ', line: a[i] as Line, oldIndex: i, newIndex: j });
    i++;
    j++;
  };
  for (let k = 0; k < prefix; k++) keep();
  for (const step of middle) {
    if (step === ' ') keep();
    else if (step === '-') ops.push({ kind: '-', line: a[i] as Line, oldIndex: i++, newIndex: j });
    else ops.push({ kind: '+', line: b[j] as Line, oldIndex: i, newIndex: j++ });
  }
  for (let k = 0; k < suffix; k++) keep();
  return ops;
}

/**
 * Myers' O(ND) greedy algorithm keeping one frontier per edit distance to walk back the path.
 * Memory is O(D²), so past MAX_EDIT_DISTANCE it gives up on minimality: delete all, insert all.
 * Deletions are put before insertions within a change, as diff(1) shows them.
 */
function myers(x: readonly number[], y: readonly number[]): Array<' ' | '-' | '+'> {
  const n = x.length;
  const m = y.length;
  const max = n + m;
  if (n === 0 || m === 0) return [...Array<'-'>(n).fill('-'), ...Array<'+'>(m).fill('+')];
  const limit = Math.min(max, MAX_EDIT_DISTANCE);
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= limit && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number));
      let px = down ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1;
      let py = px - k;
      while (px < n && py < m && x[px] === y[py]) {
        px++;
        py++;
      }
      v[offset + k] = px;
      if (px >= n && py >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return [...Array<'-'>(n).fill('-'), ...Array<'+'>(m).fill('+')];
  // Walk back: trace[d] holds the frontier as it was before step d, for k in [-d-1, d+1].
  const steps: Array<' ' | '-' | '+'> = [];
  let px = n;
  let py = m;
  for (let d = found; d > 0; d--) {
    const frontier = trace[d] as Int32Array;
    const at = (k: number): number => frontier[k + d + 1] as number;
    const k = px - py;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (px > prevX + (down ? 0 : 1) && py > prevY + (down ? 1 : 0)) {
      steps.push(' ');
      px--;
      py--;
    }
    steps.push(down ? '+' : '-');
    px = prevX;
    py = prevY;
  }
  while (px > 0 && py > 0) {
    steps.push(' ');
    px--;
    py--;
  }
  steps.reverse();
  return reorderChanges(steps);
}

// Within each run of changes, show removals before additions.
function reorderChanges(steps: Array<' ' | '-' | '+'>): Array<' ' | '-' | '+'> {
  const out: Array<' ' | '-' | '+'> = [];
  let minus = 0;
  let plus = 0;
  const flush = (): void => {
    for (; minus > 0; minus--) out.push('-');
    for (; plus > 0; plus--) out.push('+');
  };
  for (const step of steps) {
    if (step === '-') minus++;
    else if (step === '+') plus++;
    else {
      flush();
      out.push(' ');
    }
  }
  flush();
  return out;
}

/** Changes closer than 2×context lines share a hunk, as in diff -u. */
function groupHunks(ops: readonly Op[], context: number): Op[][] {
  const hunks: Op[][] = [];
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && (ops[i] as Op).kind === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    for (;;) {
      while (end < ops.length && (ops[end] as Op).kind !== ' ') end++;
      let gap = end;
      while (gap < ops.length && (ops[gap] as Op).kind === ' ') gap++;
      if (gap < ops.length && gap - end <= 2 * context) end = gap;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    hunks.push(ops.slice(start, end));
    i = end;
  }
  return hunks;
}

function renderHunk(hunk: readonly Op[]): string[] {
  const first = hunk[0] as Op;
  const oldCount = hunk.filter((op) => op.kind !== '+').length;
  const newCount = hunk.filter((op) => op.kind !== '-').length;
  // diff(1)'s convention: an empty range names the line before it.
  const range = (start: number, count: number): string =>
    count === 1 ? `${start + 1}` : `${count === 0 ? start : start + 1},${count}`;
  const lines = [`@@ -${range(first.oldIndex, oldCount)} +${range(first.newIndex, newCount)} @@`];
  for (const op of hunk) {
    lines.push(`${op.kind}${op.line.text}`);
    if (!op.line.eol) lines.push(NO_NEWLINE);
  }
  return lines;
}
