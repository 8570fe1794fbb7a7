// Tests of rule 12 of Module on the controller: a template/copy `src` is found as Ansible finds it
// (templates/ or files/ first, then next to the playbook), a missing or bad one is a located error
// at load time (before any host is contacted), and the executor reads and renders what it found.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { modules } from '../../../../modules/index.js';
import { loadPlaybook } from '../../../../runner/load/playbook.js';
import { findControllerFile } from '../../../../runner/load/controller-files.js';
import { readControllerFiles } from '../../../../runner/executor/controller-files.js';
import { findModule } from '../../../../modules/index.js';
import type { AnyModule } from '../../../../runner/module.js';
import { Secret, isSecret } from '../../../../runner/shell/secret.js';
import { rejection, writeTree } from './support.js';

const play = (task: string): string => `- hosts: all\n  gather_facts: false\n  tasks:\n    - ${task}\n`;

describe('controller files (rule 12 of Module)', () => {
  it('finds base/templates/src before base/src, and base/src when templates/ has none', async () => {
    const dir = await writeTree({ 'templates/a.j2': 'T', 'a.j2': 'B', 'b.j2': 'B' });
    assert.deepEqual(findControllerFile('a.j2', 'templates', [dir]), { found: join(dir, 'templates', 'a.j2') });
    assert.deepEqual(findControllerFile('b.j2', 'templates', [dir]), { found: join(dir, 'b.j2') });
  });

  it('looks in every base directory, innermost first', async () => {
    const role = await writeTree({ 'files/x': 'role' });
    const top = await writeTree({ 'files/x': 'top' });
    assert.deepEqual(findControllerFile('x', 'files', [role, top]), { found: join(role, 'files', 'x') });
  });

  it('gives every TaskSpec the playbook directory as its base', async () => {
    const dir = await writeTree({ 'pb.yml': play('copy: { content: x, dest: /tmp/x }') });
    const spec = await loadPlaybook(join(dir, 'pb.yml'), { modules });
    assert.deepEqual(spec.plays[0]?.tasks[0]?.baseDirs, [dir]);
  });

  it('refuses a missing src at load time, at the src value, naming the places looked', async () => {
    const dir = await writeTree({ 'pb.yml': play('template: { src: nope.j2, dest: /tmp/x }') });
    const errors = await rejection(loadPlaybook(join(dir, 'pb.yml'), { modules }));
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', new RegExp(`src 'nope.j2' not found; looked in: ${join(dir, 'templates', 'nope.j2')}, ${join(dir, 'nope.j2')}`));
    assert.deepEqual(errors[0]?.where, { file: join(dir, 'pb.yml'), line: 4, col: 24 });
  });

  it('refuses a directory as copy src', async () => {
    const dir = await writeTree({ 'pb.yml': play('copy: { src: conf, dest: /tmp/x }'), 'files/conf/a': 'x' });
    const errors = await rejection(loadPlaybook(join(dir, 'pb.yml'), { modules }));
    assert.match(errors[0]?.message ?? '', /is a directory .*only a single file can be copied/);
  });

  it("reports a template's syntax error at load time, at FILE:LINE:COL of the template", async () => {
    const dir = await writeTree({ 'pb.yml': play('template: { src: t.j2, dest: /tmp/x }'), 'templates/t.j2': 'ok\n{% if x %}\n' });
    const errors = await rejection(loadPlaybook(join(dir, 'pb.yml'), { modules }));
    assert.deepEqual(errors[0]?.where, { file: join(dir, 'templates', 't.j2'), line: 2, col: 1 });
    assert.match(errors[0]?.message ?? '', /not closed by '\{% endif %\}'/);
  });

  it('reads and renders a template with the host scope; copy reads its file as it is', async () => {
    const dir = await writeTree({ 'templates/t.j2': '{% for p in ports %}{{ p }} {% endfor %}', 'files/c': '{{ not rendered }}' });
    const task = { baseDirs: [dir], paramWhere: {} } as never;
    const t = readControllerFiles(findModule('template') as AnyModule, task, { src: 't.j2' }, { ports: [1, 2] });
    assert.equal(t.get('src')?.content, '1 2 ');
    const c = readControllerFiles(findModule('copy') as AnyModule, task, { src: 'c' }, {});
    assert.equal(c.get('src')?.content, '{{ not rendered }}');
  });

  it("gives a template Ansible's template_* variables and ansible_managed", async () => {
    const dir = await writeTree({ 'templates/t.j2': '# {{ ansible_managed }}: {{ template_basename }} -> {{ template_destpath }}' });
    const files = readControllerFiles(findModule('template') as AnyModule, { baseDirs: [dir], paramWhere: {} } as never, { src: 't.j2', dest: '/etc/t' }, {});
    assert.equal(files.get('src')?.content, '# Ansible managed: t.j2 -> /etc/t');
  });

  it('makes a rendered template that holds a vault secret a Secret', async () => {
    new Secret('vault-value-123');
    const dir = await writeTree({ 'templates/t.j2': 'password={{ pw }}\n' });
    const files = readControllerFiles(findModule('template') as AnyModule, { baseDirs: [dir], paramWhere: {} } as never, { src: 't.j2' }, { pw: 'vault-value-123' });
    assert.ok(isSecret(files.get('src')?.content));
  });

  it('refuses a binary controller file', async () => {
    const dir = await writeTree({ 'files/b': new Uint8Array([0, 255, 1]) });
    assert.throws(() => readControllerFiles(findModule('copy') as AnyModule, { baseDirs: [dir], paramWhere: {} } as never, { src: 'b' }, {}), /not UTF-8 text/);
  });
});
