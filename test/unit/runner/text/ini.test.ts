// runner/text/ini.ts against Python's configparser as ansible-core configures it: every case in
// test/fixtures/ini/configparser-cases.json (recorded by scripts/record-configparser.py) gives
// the same sections, keys and values, or an error at the same line(s).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, InputErrors } from '../../../../runner/errors.js';
import { iniGet, parseIni } from '../../../../runner/text/ini.js';

interface Case {
  readonly name: string;
  readonly text: string;
  readonly sections?: Record<string, Record<string, string>>;
  readonly defaults?: Record<string, string>;
  readonly error?: { readonly type: string; readonly lines: readonly number[] };
}

const FIXTURE = join(process.cwd(), 'test/fixtures/ini/configparser-cases.json');
const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { cases: Case[] };

function errorLines(error: unknown): number[] {
  if (error instanceof InputErrors) return error.errors.map((e) => e.where?.line ?? 0);
  if (error instanceof InputError) return [error.where?.line ?? 0];
  throw error;
}

describe('runner/text/ini (Python configparser as ansible-core uses it)', () => {
  it('replays at least 35 recorded cases, errors among them', () => {
    assert.ok(recorded.cases.length >= 35);
    assert.ok(recorded.cases.filter((c) => c.error).length >= 8);
  });

  for (const c of recorded.cases) {
    it(`reads "${c.name}" as configparser does`, () => {
      if (c.error) {
        let thrown: unknown;
        try {
          parseIni(c.text, 'ansible.cfg');
        } catch (error) {
          thrown = error;
        }
        assert.ok(thrown, `configparser raised ${c.error.type}`);
        assert.deepEqual(errorLines(thrown), c.error.lines);
        return;
      }
      const doc = parseIni(c.text, 'ansible.cfg');
      assert.deepEqual(Object.fromEntries([...doc.defaults].map(([k, e]) => [k, e.value])), c.defaults);
      const sections: Record<string, Record<string, string>> = {};
      for (const [name, keys] of doc.sections) {
        // configparser's options() of a section includes the [DEFAULT] fallbacks.
        const all = new Set([...keys.keys(), ...doc.defaults.keys()]);
        sections[name] = Object.fromEntries([...all].map((k) => [k, iniGet(doc, name, k)?.value as string]));
      }
      assert.deepEqual(sections, c.sections);
    });
  }

  it('locates an error at FILE:LINE:COL and says what is wrong', () => {
    assert.throws(() => parseIni('[defaults]\nforks = 1\njust words\n', 'cfg/ansible.cfg'), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.deepEqual(e.where, { file: 'cfg/ansible.cfg', line: 3, col: 1 });
      return true;
    });
    assert.throws(() => parseIni('[defaults]\nforks = 1\nforks = 2\n', 'a.cfg'), /'forks' is already set in section 'defaults'/);
    assert.throws(() => parseIni('forks = 1\n', 'a.cfg'), /comes before any \[section\] header/);
  });

  it('records where each key is, for messages about its value', () => {
    const doc = parseIni('[defaults]\n\n  forks = x\n', 'a.cfg');
    assert.deepEqual(iniGet(doc, 'defaults', 'FORKS')?.where, { file: 'a.cfg', line: 3, col: 3 });
    assert.equal(iniGet(doc, 'nope', 'forks'), undefined);
  });
});
