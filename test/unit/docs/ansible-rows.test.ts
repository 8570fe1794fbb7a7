// docs/ansible.md is kept true by running each row's example: a row names a playbook under
// test/fixtures/ansible/doc-rows/ (the link `[example](…/doc-rows/SLUG.yml)`), whose header comments
// say the command and the outcome the row claims; a row that cannot run on this machine says
// `not testable locally: WHY` or `no example yet: WHERE IT IS TESTED` instead. The format is described at the top
// of docs/ansible.md.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli, type CliResult } from '../../support/run-cli.js';

const DOC = 'docs/ansible.md';
const ROWS_DIR = 'test/fixtures/ansible/doc-rows';
const EXAMPLE = /\[example\]\(\.\.\/test\/fixtures\/ansible\/doc-rows\/([a-z0-9-]+\.yml)\)/g;
const UNTESTABLE = /not testable locally: [^|]+/;
const NOT_YET = /no example yet: [^|]+/;

interface DocRow {
  readonly line: number;
  readonly feature: string;
  readonly examples: readonly string[];
  readonly untestable: boolean;
  readonly notYet: boolean;
}

/** The rows of every table of the doc: lines starting with `|`, less each table's header and separator. */
function docRows(text: string): DocRow[] {
  const lines = text.split('\n');
  const rows: DocRow[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith('|')) return;
    if (/^\|[\s|:-]+\|$/.test(line)) return; // the separator
    if (/^\|[\s|:-]+\|$/.test(lines[i + 1] ?? '')) return; // the header, above the separator
    const feature = line.split('|')[1]?.trim() ?? '';
    rows.push({ line: i + 1, feature, examples: [...line.matchAll(EXAMPLE)].map((m) => m[1] ?? ''), untestable: UNTESTABLE.test(line), notYet: NOT_YET.test(line) });
  });
  return rows;
}

/** What a fixture's header comments claim: `# cmd:`, `# exit:`, `# stdout:`/`# stderr:` (each line one substring), `# env:`. */
interface Expectation {
  readonly args: string[];
  readonly exit: number;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly env: Record<string, string>;
}

function expectation(file: string, text: string, scratch: string): Expectation {
  const fill = (s: string): string => s.replaceAll('{file}', join(ROWS_DIR, file)).replaceAll('{scratch}', scratch).replaceAll('{dir}', ROWS_DIR);
  const header = (key: string): string[] =>
    [...text.matchAll(new RegExp(`^# ${key}: ?(.*)$`, 'gm'))].map((m) => fill(m[1] ?? ''));
  const cmd = header('cmd')[0];
  const exit = header('exit')[0];
  assert.ok(cmd !== undefined && exit !== undefined, `${file}: needs '# cmd:' and '# exit:' header lines`);
  const args = cmd.split(/\s+/).filter((a) => a !== '');
  if (args[0] === 'run' || args[0] === 'validate') args.push('-e', `scratch=${scratch}`);
  if (args[0] === 'run') args.push('--retry-file', join(scratch, 'retry')); // a failed run must not write into the repository
  const env: Record<string, string> = {};
  for (const e of header('env')) {
    const eq = e.indexOf('=');
    env[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return { args, exit: Number(exit), stdout: header('stdout'), stderr: header('stderr'), env };
}

const rows = docRows(readFileSync(join(REPO_ROOT, DOC), 'utf8'));
const examples = [...new Set(rows.flatMap((r) => r.examples))];

describe('docs/ansible.md: every row is kept true by its example', function () {
  this.timeout(600_000);
  const results = new Map<string, { readonly expected: Expectation; readonly got: CliResult }>();
  let scratchRoot = '';
  let passing = 0;

  before(async () => {
    scratchRoot = await mkdtemp(join(tmpdir(), 'sparkbook-doc-rows-'));
    const queue = [...examples];
    const worker = async (): Promise<void> => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        const scratch = await mkdtemp(join(scratchRoot, file.replace(/\.yml$/, '-')));
        const expected = expectation(file, await readFile(join(REPO_ROOT, ROWS_DIR, file), 'utf8'), scratch);
        results.set(file, { expected, got: await runCli(expected.args, { env: expected.env, timeoutMs: 60_000 }) });
      }
    };
    await Promise.all([worker(), worker()]);
  });

  after(async () => {
    if (scratchRoot !== '') await rm(scratchRoot, { recursive: true, force: true });
    const tested = rows.filter((r) => r.examples.length > 0).length;
    console.log(`      docs/ansible.md: ${rows.length} rows, ${tested} with an example (${examples.length} examples, ${passing} passing), ${rows.filter((r) => r.untestable).length} not testable locally, ${rows.filter((r) => r.notYet).length} with no example yet`);
  });

  it('finds the rows of the doc (a parser that finds none proves nothing)', () => {
    assert.ok(rows.length > 100, `only ${rows.length} rows found`);
  });

  it('every row has an example or says why it has none (not testable locally, or tested elsewhere)', () => {
    const bare = rows.filter((r) => r.examples.length === 0 && !r.untestable && !r.notYet);
    assert.deepEqual(bare.map((r) => `${DOC}:${r.line}: ${r.feature}`), []);
  });

  for (const file of examples) {
    const row = rows.find((r) => r.examples.includes(file));
    it(`${file} (${DOC}:${row?.line ?? 0}: ${row?.feature ?? ''}) does what the row says`, () => {
      const r = results.get(file);
      assert.ok(r !== undefined, `${file} did not run`);
      const { expected, got } = r;
      const shown = `sparkbook ${expected.args.join(' ')}\nexit ${String(got.code)}\n--- stdout\n${got.stdout}\n--- stderr\n${got.stderr}`;
      assert.equal(got.code, expected.exit, shown);
      for (const s of expected.stdout) assert.ok(got.stdout.includes(s), `stdout lacks ${JSON.stringify(s)}\n${shown}`);
      for (const s of expected.stderr) assert.ok(got.stderr.includes(s), `stderr lacks ${JSON.stringify(s)}\n${shown}`);
      passing++;
    });
  }
});
