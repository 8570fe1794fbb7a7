// Shell injection: every string parameter of every module, in turn, carries a command
// (`$(touch …)`, backquotes, quote breaking, newlines, sed/awk escapes, template lookups). The
// task runs through the real executor path (runTaskOnce) under /bin/sh (dash): check mode on a
// LocalConnection (the probe scripts), apply mode in a throwaway namespace (the change scripts).
// No canary file may ever appear. The negative control first shows that an unquoted script does
// create it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modules } from '../../../modules/index.js';
import { LocalConnection } from '../../../runner/connection/local.js';
import type { Connection } from '../../../runner/connection/connection.js';
import { runTaskOnce, type TaskOutcome } from '../../../runner/executor/task.js';
import { gatherFacts } from '../../../runner/facts/gather.js';
import type { Facts } from '../../../runner/facts/facts.js';
import type { TaskSpec } from '../../../runner/load/types.js';
import type { AnyModule } from '../../../runner/module.js';
import { Script } from '../../../runner/shell/script.js';
import { addFigure } from '../../support/figures.js';
import { SandboxConnection, sandboxAvailable } from './support/sandbox-connection.js';

/** Params that ARE shell by design (a command module's `cmd`): quoting them would defeat them. */
const SHELL_BY_DESIGN = new Set(['command:/cmd', 'shell:/cmd']);

/** How many of the payloads (in order) also run through the change scripts. */
const APPLY_PAYLOADS = 6;

let work: string;
let canaries: string;
let facts: Facts;
let counter = 0;

/**
 * The payloads for one parameter. Each is appended to the example's own value, so that a value
 * checked only by a prefix or an anchored-at-start pattern (`/etc/…`) still reaches the scripts.
 */
function payloads(original = ''): { label: string; value: string; id: string }[] {
  const make = (label: string, f: (c: string) => string): { label: string; value: string; id: string } => {
    const id = `pwned-${++counter}`;
    return { label, value: `${original}${f(join(canaries, id))}`, id };
  };
  return [
    make('$()', (c) => `$(touch ${c})`),
    make('backquotes', (c) => `\`touch ${c}\``),
    make("single-quote break", (c) => `'; touch ${c}; '`),
    make('double-quote break', (c) => `"; touch ${c}; "`),
    make('quoted $()', (c) => `"$(touch ${c})"`),
    make('newline', (c) => `x\ntouch ${c}\n`),
    make('semicolon', (c) => `x;touch ${c}`),
    make('pipe and and', (c) => `x|touch ${c}&&touch ${c}`),
    make('${IFS}', (c) => `x;touch\${IFS}${c}`),
    make('sed e command', (c) => `a/;e touch ${c}\n;s/a`),
    make('awk system', (c) => `"); system("touch ${c}"); print("`),
    make('template lookup', (c) => `{{ lookup('pipe', 'touch ${c}') }}`),
  ];
}

/** Every string leaf of a params value, as JSON-pointer-like paths. */
function stringPaths(value: unknown, base: readonly (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [[...base]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...base, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...base, k]));
  return [];
}

function withLeaf(params: Record<string, unknown>, path: readonly (string | number)[], leaf: string): Record<string, unknown> {
  const copy = structuredClone(params) as Record<string, unknown>;
  let node: Record<string | number, unknown> = copy;
  path.forEach((step, i) => {
    if (i === path.length - 1) node[step] = leaf;
    else node = node[step] as Record<string | number, unknown>;
  });
  return copy;
}

function taskOf(module: AnyModule, params: Record<string, unknown>): TaskSpec {
  const where = { file: 'injection.yml', line: 1, col: 1 };
  return {
    name: `${module.name} injection`, module: module.name, params, paramWhere: {}, when: [], loopVar: 'item', notify: [], tags: [], vars: {},
    changedWhen: [], failedWhen: [], ignoreErrors: false, noLog: false, listen: [], baseDirs: [], where,
  };
}

async function attempt(module: AnyModule, params: Record<string, unknown>, conn: Connection, check: boolean): Promise<TaskOutcome> {
  const scope = { inventory_hostname: 'sandbox', facts, ansible_check_mode: check };
  return runTaskOnce(taskOf(module, params), scope, { conn, facts, check, diff: true, becomeUser: undefined, timeoutMs: 20_000, module, earlierPending: false });
}

function fired(): string[] {
  return readdirSync(canaries);
}

/** A module that pastes its parameter into the script unquoted: what every real module must not do. */
const leaky: AnyModule = {
  name: 'leaky',
  summary: 'negative control: interpolates without quoting',
  schema: { type: 'object', properties: { value: { type: 'string', description: 'anything' } }, required: ['value'], additionalProperties: false },
  probe: (p: { value: string }) => ({ script: new Script([`echo ${p.value}\n`]), parse: (r: { stdout: string }) => r.stdout }),
  plan: () => [],
};

describe('shell injection through every module parameter', function () {
  this.timeout(120_000);
  const cwd = process.cwd();

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'sparkbook-inject-'));
    canaries = join(work, 'canaries');
    mkdirSync(canaries);
    mkdirSync(join(work, 'cwd'));
    // Relative paths in payloads land in a scratch directory, never in the repository.
    process.chdir(join(work, 'cwd'));
    facts = await gatherFacts(new LocalConnection());
  });
  after(() => {
    process.chdir(cwd);
    rmSync(work, { recursive: true, force: true });
  });

  it('negative control: an unquoted probe script runs the payload, and the canary check sees it', async () => {
    const [p] = payloads();
    await attempt(leaky, { value: p!.value }, new LocalConnection(), true);
    assert.deepEqual(fired(), [p!.id]);
    rmSync(join(canaries, p!.id));
  });

  it('negative control: the sandbox runs change scripts for real (a stub logs, and the canary fires from inside it)', async function () {
    if (!sandboxAvailable()) {
      assert.notEqual(process.getuid?.(), 0, 'root with unshare should have the sandbox');
      return;
    }
    const [p] = payloads();
    const conn = new SandboxConnection(work);
    const r = await conn.run(new Script([`systemctl restart ssh; echo ${p!.value}; test ! -e /etc/hostname && echo isolated\n`]));
    assert.match(r.stdout, /isolated/);
    assert.deepEqual(fired(), [p!.id]);
    rmSync(join(canaries, p!.id));
  });

  it('no payload in any string parameter of any module runs, in check mode (probes) or apply mode (changes)', async () => {
    const sandbox = sandboxAvailable() ? new SandboxConnection(work) : undefined;
    const local = new LocalConnection();
    let runs = 0;
    let reached = 0;
    const perModule: string[] = [];
    for (const module of modules) {
      const examples = ((module.schema as { examples?: unknown[] }).examples ?? []) as Record<string, unknown>[];
      let moduleRuns = 0;
      // Each parameter once (the first example that has it), whatever list index it sits at.
      const seen = new Set<string>();
      for (const example of examples) {
        for (const path of stringPaths(example)) {
          const key = path.map((s) => (typeof s === 'number' ? '*' : s)).join('/');
          if (seen.has(key) || SHELL_BY_DESIGN.has(`${module.name}:/${key}`)) continue;
          seen.add(key);
          const original = String(path.reduce<unknown>((v, step) => (v as Record<string | number, unknown>)[step], example));
          for (const [i, p] of payloads(original).entries()) {
            const params = withLeaf(example, path, p.value);
            const checked = await attempt(module, params, local, true);
            runs += 1;
            moduleRuns += 1;
            if (!(checked.status === 'failed' && /invalid parameters/.test(checked.reason ?? ''))) reached += 1;
            // Apply only what got past validation: a refused value runs nothing, in either mode.
            // The change scripts get the payloads that break quoting; the rest are probe-only (time).
            if (sandbox && i < APPLY_PAYLOADS && !(checked.status === 'failed' && /invalid parameters/.test(checked.reason ?? ''))) {
              await attempt(module, params, sandbox, false);
              runs += 1;
              moduleRuns += 1;
            }
          }
        }
      }
      perModule.push(`${module.name}:${moduleRuns}`);
    }
    if (process.env['SPARKBOOK_TEST_VERBOSE']) console.log(`${perModule.join(' ')}; past validation: ${reached}`);
    assert.ok(reached > 100, `only ${reached} payloads got past parameter validation: the test would prove little`);
    const executed = fired();
    addFigure('injection.payloads', runs);
    addFigure('injection.executed', executed.length);
    assert.ok(runs > 500, `only ${runs} runs (${perModule.join(' ')})`);
    assert.deepEqual(executed, [], 'payloads that executed');
  });
});
