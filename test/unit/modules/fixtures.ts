// Test support for module plans: one mocha `it` per JSON case in test/fixtures/modules/<module>/
// (pyinfra's tests/operations layout), and a local stand-in for the executor that runs probe and
// change scripts under /bin/sh in a scratch directory.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { countsTowardConvergence, type AnyModule, type Change, type PlanContext } from '../../../runner/module.js';
import { emptyFacts, type Facts } from '../../../runner/facts/facts.js';
import { FACT_FIELD_GROUP, type FactGroup } from '../../../runner/facts/groups.js';
import type { RunResult } from '../../../runner/connection/connection.js';
import { joinScripts, sh, type Script } from '../../../runner/shell/script.js';
import { Secret } from '../../../runner/shell/secret.js';
import { TaskError } from '../../../runner/errors.js';

/** The repository root (tests run from dist/test/unit/modules/). */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'modules');

export interface ExpectedChange {
  readonly action: Change['action'];
  readonly target: string;
  readonly summary: string;
}

/** One case file. */
export interface PlanCase {
  readonly params: Record<string, unknown>;
  /** Params to wrap in Secret after validation (as secretParams / no_log would). */
  readonly secret?: readonly string[];
  readonly facts?: Record<string, unknown>;
  /** The parsed observation, or the probe's raw stdout to parse first. */
  readonly observed?: unknown;
  readonly probeOutput?: string;
  /** Values of expression params, keyed by expression text. */
  readonly expressions?: Record<string, unknown>;
  /** Controller files the engine read for the module (rule 12), keyed by param: their (rendered) text. */
  readonly files?: Record<string, string>;
  readonly expect?: readonly ExpectedChange[];
  /** The plan throws a TaskError whose message contains this. */
  readonly error?: string;
  /** The params are rejected by the schema. */
  readonly invalid?: boolean;
  readonly message?: string | null;
}

export function testFacts(extra: Record<string, unknown> = {}): Facts {
  return { ...emptyFacts({ transport: 'local', address: 'localhost', port: 0, user: 'root' }), ...extra } as Facts;
}

/**
 * Facts that record which fields are read; `check` fails when probe or plan read a field of a
 * group the module does not declare in factGroups (a play would not have gathered it).
 */
export function watchFacts(module: Pick<AnyModule, 'name' | 'factGroups'>, base: Facts): { readonly facts: Facts; check(): void } {
  const read = new Set<string>();
  const facts = new Proxy(base, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const declared = new Set(module.factGroups ?? []);
  return {
    facts,
    check: () => {
      for (const key of read) {
        const group = (FACT_FIELD_GROUP as Readonly<Record<string, FactGroup>>)[key];
        if (group !== undefined) assert.ok(declared.has(group), `${module.name} reads facts.${key} (group ${group}) without declaring it in factGroups`);
      }
    },
  };
}

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true });

/** Validates (applying defaults, as the executor does); returns null when invalid. */
export function prepare(module: AnyModule, params: Record<string, unknown>, secret: readonly string[] = []): Record<string, unknown> | null {
  const copy = structuredClone(params);
  if (!ajv.validate(module.schema as object, copy)) return null;
  for (const name of secret) copy[name] = new Secret(String(copy[name]));
  return copy;
}

export function result(stdout: string, exitCode = 0, stderr = ''): RunResult {
  return { exitCode, signal: null, stdout, stderr, durationMs: 0, timedOut: false };
}

/** Validates `params` (they must pass), parses `stdout` as the probe's output, and plans: a module's plan on recorded output. */
export function planFromOutput(module: AnyModule, params: Record<string, unknown>, stdout: string, secret: readonly string[] = []): Change[] {
  const p = prepare(module, params, secret);
  assert.ok(p, `the schema rejects the params: ${JSON.stringify(ajv.errors)}`);
  const facts = testFacts();
  return module.plan(p, module.probe(p, facts).parse(result(stdout)), facts, { expressions: new Map() }) as Change[];
}

function context(expressions: Record<string, unknown> = {}, files: Record<string, string> = {}): PlanContext {
  const read = new Map(Object.entries(files).map(([param, content]) => [param, { path: `files/${param}`, content }]));
  return { expressions: new Map(Object.entries(expressions)), files: read };
}

function caseName(file: string): string {
  return file.replace(/\.json$/, '').replace(/-/g, ' ');
}

/** Generates one `it` per case file of `moduleName`. */
export function describeFixtures(module: AnyModule): void {
  const dir = join(FIXTURES, module.name);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  describe(`${module.name} plan cases (test/fixtures/modules/${module.name})`, () => {
    it('has cases', () => assert.ok(files.length > 0));
    for (const f of files) {
      it(caseName(f), () => {
        const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as PlanCase;
        const params = prepare(module, c.params, c.secret);
        if (c.invalid === true) {
          assert.equal(params, null, 'the schema should reject these params');
          return;
        }
        assert.ok(params, `the schema rejects the params: ${JSON.stringify(ajv.errors)}`);
        const watched = watchFacts(module, testFacts(c.facts));
        const facts = watched.facts;
        const assertDeclared = watched.check;
        const ctx = context(c.expressions, c.files);
        const observed = c.probeOutput !== undefined ? module.probe(params, facts, ctx).parse(result(c.probeOutput)) : c.observed;
        if (c.error !== undefined) {
          assert.throws(() => module.plan(params, observed, facts, ctx), (e: unknown) => {
            assert.ok(e instanceof TaskError, `expected a TaskError, got ${String(e)}`);
            assert.ok(e.message.includes(c.error as string), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(c.error)}`);
            return true;
          });
          assertDeclared();
          return;
        }
        const changes = module.plan(params, observed, facts, ctx) as Change[];
        assert.deepEqual(
          changes.map((ch) => ({ action: ch.action, target: ch.target, summary: ch.summary })),
          c.expect ?? [],
        );
        if (c.message !== undefined) assert.equal(module.message?.(params, observed, ctx) ?? null, c.message);
        for (const secretName of c.secret ?? []) {
          const value = String(c.params[secretName]);
          for (const ch of changes) {
            assert.ok(!ch.summary.includes(value), 'a secret leaked into a summary');
            assert.ok(!String(ch.script).includes(value), 'a secret leaked into a printable script');
          }
        }
        assertDeclared();
      });
    }
  });
}

export interface ShellRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a script as the executor does (`sh -s`, script on stdin) in `cwd`. */
export function runSh(script: Script, cwd: string, prefixSetE = false): ShellRun {
  const text = (prefixSetE ? joinScripts([sh`set -e`, script]) : script).raw();
  const r = spawnSync('/bin/sh', ['-s'], { input: text, cwd, encoding: 'utf8', timeout: 20000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Probe → parse → plan on this machine, in `cwd`. */
export function planHere(module: AnyModule, params: Record<string, unknown>, cwd: string, expressions: Record<string, unknown> = {}, files: Record<string, string> = {}): Change[] {
  const facts = testFacts();
  const probe = module.probe(params, facts, context(expressions, files));
  const out: ShellRun = probe.script.isEmpty ? { status: 0, stdout: '', stderr: '' } : runSh(probe.script, cwd);
  const observed = probe.parse(result(out.stdout, out.status ?? -1, out.stderr));
  return module.plan(params, observed, facts, context(expressions, files)) as Change[];
}

/** The executor's default apply: every change script in one `sh -s`, after `set -e`. */
export function applyHere(changes: readonly Change[], cwd: string): ShellRun {
  const scripts = changes.map((c) => {
    assert.ok(c.script, `the change "${c.summary}" has no script (only a module with its own apply may plan one)`);
    return c.script;
  });
  return runSh(joinScripts(scripts), cwd, true);
}

/** Plans, applies, and checks that a second plan is empty (ignoring `!` runs), as the executor verifies. */
export function convergeHere(module: AnyModule, params: Record<string, unknown>, cwd: string, files: Record<string, string> = {}): Change[] {
  const valid = prepare(module, params);
  assert.ok(valid, `invalid params ${JSON.stringify(params)}: ${JSON.stringify(ajv.errors)}`);
  const changes = planHere(module, valid, cwd, {}, files);
  const run = applyHere(changes, cwd);
  assert.equal(run.status, 0, `apply failed: ${run.stderr}`);
  const second = planHere(module, valid, cwd, {}, files).filter(countsTowardConvergence);
  assert.deepEqual(second.map((c) => c.summary), [], 'the second plan is not empty');
  return changes;
}
