// Tests of runner/load/locate.ts: JSON paths to the value, the key, and the start of a string's text.
import assert from 'node:assert/strict';
import { locate, locateKey, makeLocator } from '../../../../runner/load/locate.js';
import { parseYaml } from '../../../../runner/load/yaml.js';

const TEXT = [
  '- name: play', //           line 1
  '  hosts: all', //           line 2
  '  tasks:', //               line 3
  '    - file:', //            line 4
  '        path: "/etc/{{ x }}"', // line 5
  '        mode: 420', //      line 6
  '      when: |', //          line 7
  '        a == 1', //         line 8
  '    - ping: {}', //         line 9
  '',
].join('\n');

describe('runner/load/locate', () => {
  const { yaml } = parseYaml(TEXT, 'pb.yml');
  const at = makeLocator(yaml);

  it('locates a value by its path', () => {
    assert.deepEqual(at.value([0, 'tasks', 0, 'file', 'mode']), { file: 'pb.yml', line: 6, col: 15 });
  });

  it('locates the key of the last step, for errors about the key itself', () => {
    assert.deepEqual(at.key([0, 'tasks', 0, 'file', 'mode']), { file: 'pb.yml', line: 6, col: 9 });
  });

  it('locates a list item by its index', () => {
    assert.deepEqual(at.value([0, 'tasks', 1]), { file: 'pb.yml', line: 9, col: 7 });
  });

  it('starts a quoted string after its quote, so offsets inside it map to columns', () => {
    assert.deepEqual(at.text([0, 'tasks', 0, 'file', 'path']), { file: 'pb.yml', line: 5, col: 16 });
    assert.deepEqual(at.value([0, 'tasks', 0, 'file', 'path']), { file: 'pb.yml', line: 5, col: 15 });
  });

  it('starts a block scalar on its first content line', () => {
    assert.deepEqual(at.text([0, 'tasks', 0, 'when']), { file: 'pb.yml', line: 8, col: 9 });
  });

  it('falls back to the nearest existing ancestor for a missing path', () => {
    assert.deepEqual(at.value([0, 'tasks', 0, 'file', 'owner']), at.value([0, 'tasks', 0, 'file']));
    assert.deepEqual(at.value([0, 'tasks', 7]), at.value([0, 'tasks']));
  });

  it('offers the same positions through locate and locateKey', () => {
    assert.deepEqual(locate(yaml.doc, yaml.lineCounter, [0, 'hosts'], 'pb.yml'), { file: 'pb.yml', line: 2, col: 10 });
    assert.deepEqual(locateKey(yaml.doc, yaml.lineCounter, [0, 'hosts'], 'pb.yml'), { file: 'pb.yml', line: 2, col: 3 });
  });

  it('follows aliases into the anchored value', () => {
    const { yaml: y } = parseYaml('base: &b\n  x: 1\nother: *b\n', 'a.yml');
    assert.deepEqual(makeLocator(y).value(['other', 'x']), { file: 'a.yml', line: 2, col: 6 });
  });
});
