// Tests modules/sysctl.ts: plan cases from fixtures, and the persistence part run under /bin/sh
// (the runtime part is not run: `sysctl -w` would change this machine).
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../../modules/index.js';
import type { AnyModule } from '../../../runner/module.js';
import { convergeHere, describeFixtures, planHere, prepare } from './fixtures.js';

const sysctl = findModule('sysctl') as AnyModule;

describeFixtures(sysctl);

describe('sysctl module scripts under /bin/sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-sysctl-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the sysctl.d file with mode 0644 and then converges', () => {
    convergeHere(sysctl, { name: 'net.ipv4.ip_forward', value: 1, reload: false, sysctl_file: 'fwd.conf' }, dir);
    assert.equal(readFileSync(join(dir, 'fwd.conf'), 'utf8'), 'net.ipv4.ip_forward=1\n');
    assert.equal(statSync(join(dir, 'fwd.conf')).mode & 0o7777, 0o644);
  });

  it('replaces the old value in place and keeps other lines', () => {
    writeFileSync(join(dir, 'f.conf'), '# managed\nnet.ipv4.ip_forward = 0\nvm.swappiness=10\n');
    convergeHere(sysctl, { name: 'net.ipv4.ip_forward', value: '1', reload: false, sysctl_file: 'f.conf' }, dir);
    assert.equal(readFileSync(join(dir, 'f.conf'), 'utf8'), '# managed\nnet.ipv4.ip_forward=1\nvm.swappiness=10\n');
  });

  it('reads the runtime value of a real key with its probe', () => {
    const params = prepare(sysctl, { name: 'kernel.ostype', value: 'Linux', sysctl_file: 'k.conf' });
    assert.ok(params);
    const changes = planHere(sysctl, params, dir);
    // The running kernel already says Linux: only the file is planned, never a sysctl -w.
    assert.deepEqual(changes.map((c) => c.action + ' ' + c.target), ['+ k.conf']);
  });

  it('writes a hostile value as data and executes nothing', () => {
    const canary = join(dir, 'PWNED');
    const value = `$(touch ${canary}) \`touch ${canary}\` '; touch ${canary}`;
    convergeHere(sysctl, { name: 'x.y', value, reload: false, sysctl_file: 'h.conf' }, dir);
    assert.equal(readFileSync(join(dir, 'h.conf'), 'utf8'), `x.y=${value}\n`);
    assert.equal(existsSync(canary), false);
  });
});
