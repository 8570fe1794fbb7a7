// Tests modules/service.ts: plan cases from fixtures, the probe it builds, and the verify rule
// for restarted (a `!` restart converges; a unit that died after it does not).
import { strict as assert } from 'node:assert';
import { findModule } from '../../../modules/index.js';
import { parseUnit } from '../../../modules/lib/systemd-probe.js';
import type { AnyModule, Change } from '../../../runner/module.js';
import { describeFixtures, prepare, testFacts } from './fixtures.js';

const service = findModule('service') as AnyModule;

describeFixtures(service);

describe('service module', () => {
  const show = (active: string): string =>
    `@section systemd\nsystemctl 1\n@end\n@section show\nLoadState=loaded\nActiveState=${active}\nSubState=x\nUnitFileState=enabled\nNeedDaemonReload=no\n@end\n@section is-enabled\nenabled\n@end\n`;
  const plan = (params: Record<string, unknown>, stdout: string): Change[] => {
    const p = prepare(service, params);
    assert.ok(p);
    return service.plan(p, parseUnit(stdout), testFacts(), { expressions: new Map() }) as Change[];
  };

  it('asks systemctl show for the properties it needs, the unit after --', () => {
    const p = prepare(service, { name: 'wg-quick@wg0', state: 'started' });
    assert.ok(p);
    const script = String(service.probe(p, testFacts()).script);
    assert.match(script, /systemctl show -p LoadState,ActiveState,SubState,UnitFileState,NeedDaemonReload -- wg-quick@wg0/);
    assert.match(script, /systemctl is-enabled -- wg-quick@wg0/);
  });

  it('after a restart, a running unit leaves only the `!` restart, which verify ignores', () => {
    const second = plan({ name: 'ssh', state: 'restarted' }, show('active'));
    assert.deepEqual(second.filter((c) => c.action !== '!'), []);
  });

  it('after a restart, a unit that died leaves a state change, so verify fails the task', () => {
    const second = plan({ name: 'ssh', state: 'restarted' }, show('failed'));
    assert.deepEqual(second.map((c) => c.action), ['~']);
  });

  it('orders daemon-reload, then enable, then start', () => {
    const out = show('inactive').replace('NeedDaemonReload=no', 'NeedDaemonReload=yes').replace(/enabled/g, 'disabled');
    const changes = plan({ name: 'x', state: 'started', enabled: true, daemon_reload: true }, out);
    assert.deepEqual(changes.map((c) => String(c.script)), ['systemctl daemon-reload', 'systemctl enable -- x', 'systemctl start -- x']);
  });
});
