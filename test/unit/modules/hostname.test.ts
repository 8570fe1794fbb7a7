// Tests modules/hostname.ts: plan cases from fixtures, and the commands its changes run.
import { strict as assert } from 'node:assert';
import { findModule } from '../../../modules/index.js';
import { planHostname } from '../../../modules/lib/host-identity.js';
import type { AnyModule } from '../../../runner/module.js';
import { describeFixtures } from './fixtures.js';

const hostname = findModule('hostname') as AnyModule;

describeFixtures(hostname);

describe('hostname module', () => {
  it('answers to ansible.builtin.hostname', () => assert.equal(findModule('ansible.builtin.hostname'), hostname));

  it('uses hostnamectl when it answers, else writes /etc/hostname atomically and sets the running name', () => {
    const [viaSystemd] = planHostname('spark-01', { hostnamectl: true, static: 'x', transient: 'x' });
    assert.equal(String(viaSystemd?.script), 'hostnamectl set-hostname -- spark-01');
    const [viaFiles] = planHostname('spark-01', { hostnamectl: false, static: 'x', transient: 'x' });
    assert.match(String(viaFiles?.script), /mv -f -T -- "\$t" "\$p"/);
    assert.match(String(viaFiles?.script), /hostname -- spark-01$/);
  });
});
