// Property tests (fast-check) of the three parsers that read what users write: the playbook
// loader, the template language and the inventory (YAML and INI). Thousands of generated inputs,
// many of them near-valid; the only exceptions allowed are sparkbook errors that carry a
// FILE:LINE:COL (an unlocated error or a crash counts as a failure), and no prototype changes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { InputErrors, SparkbookError } from '../../../runner/errors.js';
import { loadInventory } from '../../../runner/inventory/index.js';
import { loadPlaybook } from '../../../runner/load/playbook.js';
import { parseTemplate, renderString, evaluateExpression } from '../../../runner/template/index.js';
import { addFigure } from '../../support/figures.js';

/** Case counts: together a few thousand, within the unit-test time budget on 2 cores. */
const RUNS = { playbook: 1000, template: 10_000, expression: 5000, yamlInventory: 600, iniInventory: 600 };
const SEED = Number(process.env['SPARKBOOK_FUZZ_SEED'] ?? 20261124);

/** Why an error thrown by a parser is not acceptable, or undefined when it is. */
/** How many inputs each parser accepted and refused: a property that only ever saw one kind proves little. */
const tally = new Map<string, { accepted: number; refused: number }>();
function count(what: string, refused: boolean): void {
  const t = tally.get(what) ?? { accepted: 0, refused: 0 };
  if (refused) t.refused += 1;
  else t.accepted += 1;
  tally.set(what, t);
}
function assertBothKinds(what: string): void {
  const t = tally.get(what);
  assert.ok(t && t.accepted > 0 && t.refused > 0, `${what}: accepted ${t?.accepted ?? 0}, refused ${t?.refused ?? 0}`);
}

function unacceptable(error: unknown): string | undefined {
  if (error instanceof InputErrors) {
    const bad = error.errors.find((e) => e.where === undefined);
    return error.errors.length === 0 ? 'empty InputErrors' : bad ? `unlocated: ${bad.message}` : undefined;
  }
  if (error instanceof SparkbookError) return error.where ? undefined : `unlocated ${error.name}: ${error.message}`;
  return `crash: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
function prototypeIntact(): boolean {
  return (({}) as Record<string, unknown>)['polluted'] === undefined && Object.getOwnPropertyNames(Object.prototype).sort().join() === prototypeNames.join();
}

const pieces = (alphabet: readonly string[], max: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...alphabet), { maxLength: max }).map((a) => a.join(''));

const YAML_PIECES = [
  '- ', '  ', '    ', '\n', ': ', ':', '#', '&a ', '*a', '<<: ', '---\n', '...', '[', ']', '{', '}', ',', '"', "'", '|', '>', '!', '!!str ', '?', '%YAML 1.2\n',
  '\t', '\\', '\u0000', '\u202e', 'é', '🙂', 'hosts', 'all', 'tasks', 'name', 'vars', 'become', 'when', 'loop', 'register', 'notify', 'handlers',
  'import_tasks', 'import_playbook', 'block', 'debug', 'msg', 'file', 'path', 'command', 'argv', 'sysctl', '__proto__', 'constructor',
  '{{ x }}', '{{', '}}', '{%', '1', '0x1F', '1e400', 'true', 'null', '~', '/etc/x', '../', 'item',
];
/** A valid playbook skeleton with one random piece spliced in somewhere: near-valid input. */
const SKELETON = `- name: fuzz\n  hosts: all\n  gather_facts: false\n  vars: { a: 1, b: [x, y] }\n  tasks:\n    - name: t\n      debug: { msg: "{{ a }}" }\n      when: a == 1\n      loop: "{{ b }}"\n`;

const TEMPLATE_PIECES = [
  '{{', '}}', '{{-', '-}}', '{%', '%}', '{#', '#}', ' ', '(', ')', '[', ']', '{', '}', ',', ':', '.', '|', '~', '+', '-', '*', '/', '//', '%', '**',
  '==', '!=', '<', '>=', ' and ', ' or ', ' not ', ' in ', ' is ', ' if ', ' else ', 'x', 'facts', 'item', '__proto__', 'constructor', '__class__',
  'default', 'int', 'join', 'map', 'select', 'regex_replace', 'b64decode', 'ipaddr', 'lookup', 'range', 'version', "'", '"', "'s'", '"q"', '\\',
  '0', '1', '9999999999999999999999', '1e308', '-1', '0.5', 'true', 'none', 'None', '\n', '\u0000', 'é',
];
const SCOPE = { x: 1, item: 'a', s: 'text', l: [1, 2, 3], d: { k: 'v' }, facts: { os: { id: 'ubuntu' }, arch: 'aarch64' } };

const INI_PIECES = [
  '[', ']', 'sparks', ':children', ':vars', '\n', ' ', '=', 'spark-01', 'spark-[01:10]', '[a:z]', '192.0.2.1', 'ansible_host', 'ansible_port', '22',
  'ansible_user', '#', ';', '"', "'", '\\', '__proto__', 'constructor', 'all', 'ungrouped', '\t', '\u0000', '\u200b', 'é', 'x=1', '{', '[1,2]',
];
const INVENTORY_YAML_PIECES = [
  'all:', '\n', '  ', '    ', 'hosts:', 'children:', 'vars:', 'sparks:', 'spark-01:', 'spark-[01:05]:', 'ansible_host: 192.0.2.1', 'ansible_port: 22',
  ': ', '- ', '&a ', '*a', '<<: ', '{', '}', '[', ']', ',', '"', '#', '__proto__:', 'constructor:', 'null', '~', '\t', 'é', '\u0000',
];

describe('fuzzing the parsers (fast-check)', function () {
  this.timeout(120_000);
  let dir: string;
  let n = 0;
  const total = { cases: 0 };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-fuzz-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    addFigure('fuzz.cases', total.cases);
  });

  it(`loadPlaybook on ${RUNS.playbook} generated files gives a plan or located InputErrors, nothing else`, async () => {
    const text = fc.oneof(
      pieces(YAML_PIECES, 40),
      fc.tuple(fc.nat({ max: SKELETON.length }), pieces(YAML_PIECES, 6)).map(([at, piece]) => SKELETON.slice(0, at) + piece + SKELETON.slice(at)),
      fc.tuple(fc.nat({ max: SKELETON.length }), fc.nat({ max: 20 })).map(([at, cut]) => SKELETON.slice(0, at) + SKELETON.slice(at + cut)),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const file = join(dir, `p${++n}.yml`);
        writeFileSync(file, t);
        total.cases += 1;
        try {
          await loadPlaybook(file);
          count('playbook', false);
        } catch (error) {
          count('playbook', true);
          const why = unacceptable(error);
          if (why) throw new Error(why);
        } finally {
          rmSync(file, { force: true });
        }
        return prototypeIntact();
      }),
      { numRuns: RUNS.playbook, seed: SEED },
    );
    assertBothKinds('playbook');
  });

  it(`parseTemplate and renderString on ${RUNS.template} generated templates throw only located errors`, () => {
    const where = { file: 'fuzz.yml', line: 3, col: 7 };
    fc.assert(
      fc.property(pieces(TEMPLATE_PIECES, 30), (t) => {
        total.cases += 1;
        try {
          parseTemplate(t, where);
          renderString(t, SCOPE, where);
          count('template', false);
        } catch (error) {
          count('template', true);
          const why = unacceptable(error);
          if (why) throw new Error(`${why} for ${JSON.stringify(t)}`);
        }
        return prototypeIntact();
      }),
      { numRuns: RUNS.template, seed: SEED },
    );
    assertBothKinds('template');
  });

  it(`evaluateExpression (when:) on ${RUNS.expression} generated expressions throws only located errors`, () => {
    const where = { file: 'fuzz.yml', line: 9, col: 13 };
    fc.assert(
      fc.property(pieces(TEMPLATE_PIECES.filter((p) => !p.includes('{') && !p.includes('}')), 20), (t) => {
        total.cases += 1;
        try {
          evaluateExpression(t, SCOPE, where);
          count('expression', false);
        } catch (error) {
          count('expression', true);
          const why = unacceptable(error);
          if (why) throw new Error(`${why} for ${JSON.stringify(t)}`);
        }
        return prototypeIntact();
      }),
      { numRuns: RUNS.expression, seed: SEED },
    );
    assertBothKinds('expression');
  });

  for (const [kind, alphabet, ext, runs] of [
    ['YAML', INVENTORY_YAML_PIECES, 'yml', RUNS.yamlInventory],
    ['INI', INI_PIECES, 'ini', RUNS.iniInventory],
  ] as const) {
    it(`loadInventory on ${runs} generated ${kind} inventories gives an inventory or a located InputError`, async () => {
      await fc.assert(
        fc.asyncProperty(pieces(alphabet, 40), async (t) => {
          const sub = join(dir, `i${++n}`);
          const file = join(sub, `hosts.${ext}`);
          rmSync(sub, { recursive: true, force: true });
          mkdirSync(sub);
          writeFileSync(file, t);
          total.cases += 1;
          try {
            await loadInventory(file);
            count(kind, false);
          } catch (error) {
            count(kind, true);
            const why = unacceptable(error);
            if (why) throw new Error(`${why} for ${JSON.stringify(t)}`);
          } finally {
            rmSync(sub, { recursive: true, force: true });
          }
          return prototypeIntact();
        }),
        { numRuns: runs, seed: SEED },
      );
      assertBothKinds(kind);
    });
  }

  it('negative control: the property fails on an unlocated error and on a crash', () => {
    assert.match(unacceptable(new TypeError('x')) ?? '', /crash/);
    assert.match(unacceptable(new SparkbookError('input', 'no place')) ?? '', /unlocated/);
    assert.equal(unacceptable(new InputErrors([])), 'empty InputErrors');
  });
});
