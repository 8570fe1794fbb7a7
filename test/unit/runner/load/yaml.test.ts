// Tests of runner/load/yaml.ts: strict decoding, located syntax errors, duplicate keys, alias bombs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MAX_ALIAS_EXPANSION, MAX_FILE_BYTES, decodeYamlBytes, loadYaml, parseYaml } from '../../../../runner/load/yaml.js';
import { InputError } from '../../../../runner/errors.js';
import { rejection, thrownErrors, writeTree } from './support.js';

const first = (text: string) => {
  const errors = thrownErrors(() => parseYaml(text, 'in.yml'));
  const e = errors[0];
  assert.ok(e, 'at least one error');
  return e;
};

describe('runner/load/yaml', () => {
  describe('parseYaml', () => {
    it('returns the plain value and keeps a document with positions', () => {
      const { value, yaml } = parseYaml('- hosts: all\n  tasks: []\n', 'pb.yml');
      assert.deepEqual(value, [{ hosts: 'all', tasks: [] }]);
      assert.equal(yaml.file, 'pb.yml');
      assert.deepEqual(yaml.lineCounter.linePos(2), { line: 1, col: 3 });
    });

    it('reads YAML 1.1 as Ansible does: yes is true and 0644 is octal', () => {
      const { value } = parseYaml('a: yes\nb: 0644\n', 'v.yml');
      assert.deepEqual(value, { a: true, b: 420 });
    });

    it('names a duplicate key and where the first one was', () => {
      const e = first('- hosts: a\n  name: x\n  hosts: b\n');
      assert.equal(e.kind, 'yaml');
      assert.equal(e.message, "duplicate key 'hosts' (first at line 1)");
      assert.deepEqual(e.where, { file: 'in.yml', line: 3, col: 3 });
    });

    it('points an unclosed quote at its opening quote', () => {
      const e = first('- hosts: a\n  name: "oops\n  tasks: []\n');
      assert.match(e.message, /unclosed quote/);
      assert.deepEqual(e.where, { file: 'in.yml', line: 2, col: 9 });
    });

    it('names a tab in the indentation', () => {
      const e = first('- hosts: a\n\tname: x\n');
      assert.match(e.message, /^tab character in indentation/);
      assert.equal(e.where?.line, 2);
    });

    it('reports a misaligned line at its first character', () => {
      const e = first('- hosts: a\n  tasks:\n    - file:\n        path: /x\n     state: file\n');
      assert.match(e.message, /indentation/);
      assert.deepEqual(e.where, { file: 'in.yml', line: 5, col: 6 });
    });

    it('refuses a second document', () => {
      const e = first('- hosts: a\n---\n- hosts: b\n');
      assert.match(e.message, /one YAML document/);
    });

    it('refuses a billion-laughs alias bomb at the alias that crosses the limit', () => {
      const levels = ['a: &a [' + Array(10).fill('x').join(', ') + ']'];
      for (let i = 1; i < 8; i++) levels.push(`${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(10).fill(`*${'abcdefgh'[i - 1]}`).join(', ')}]`);
      const e = first(levels.join('\n') + '\n');
      assert.match(e.message, new RegExp(`more than ${MAX_ALIAS_EXPANSION} values`));
      // Expansions so far: line 2 adds 110, line 3 1110, line 4 11110; line 5's aliases (11111
      // each) cross 100000 at the eighth.
      assert.equal(e.where?.line, 5);
      assert.equal(e.where?.col, 'e: &e ['.length + 1 + 7 * '*d, '.length);
    });

    it('accepts ordinary anchors and merge keys', () => {
      const { value } = parseYaml('base: &b { x: 1 }\nother:\n  <<: *b\n  y: 2\nlist: [*b, *b]\n', 'v.yml');
      assert.deepEqual(value, { base: { x: 1 }, other: { x: 1, y: 2 }, list: [{ x: 1 }, { x: 1 }] });
    });

    it('gives null for an empty document', () => {
      assert.equal(parseYaml('# nothing\n', 'e.yml').value, null);
    });
  });

  describe('decodeYamlBytes', () => {
    it('refuses invalid UTF-8 at the line and column of the bad byte', () => {
      const bytes = Buffer.concat([Buffer.from('a: 1\nb: "x'), Buffer.from([0xff]), Buffer.from('"\n')]);
      const e = thrownErrors(() => decodeYamlBytes(bytes, 'bad.yml'))[0];
      assert.match(e?.message ?? '', /invalid UTF-8 byte 0xff/);
      assert.deepEqual(e?.where, { file: 'bad.yml', line: 2, col: 6 });
    });

    it('refuses a NUL byte at its position', () => {
      const e = thrownErrors(() => decodeYamlBytes(Buffer.from('a: 1\nb: x\0y\n'), 'nul.yml'))[0];
      assert.match(e?.message ?? '', /NUL byte/);
      assert.deepEqual(e?.where, { file: 'nul.yml', line: 2, col: 5 });
    });

    it('drops a BOM', () => {
      assert.equal(decodeYamlBytes(Buffer.from('\uFEFFa: 1\n'), 'bom.yml'), 'a: 1\n');
    });
  });

  describe('loadYaml', () => {
    it('names a missing file without a location', async () => {
      const dir = await writeTree({});
      const errors = await rejection(loadYaml(join(dir, 'none.yml')));
      assert.equal(errors[0]?.kind, 'file');
      assert.match(errors[0]?.message ?? '', /no such file$/);
      assert.equal(errors[0]?.where, undefined);
    });

    it('refuses a file larger than the limit before reading it', async () => {
      const dir = await writeTree({ 'big.yml': Buffer.alloc(MAX_FILE_BYTES + 1, 0x20) });
      const errors = await rejection(loadYaml(join(dir, 'big.yml')));
      assert.ok(errors[0] instanceof InputError);
      assert.match(errors[0].message, /larger than 5 MB/);
    });
  });
});
