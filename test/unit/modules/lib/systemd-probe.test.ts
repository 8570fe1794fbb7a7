// Tests modules/lib/systemd-probe.ts: the unit probe run under /bin/sh against a stand-in systemctl, and its parser on recorded output.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUnit, unitProbeScript } from '../../../../modules/lib/systemd-probe.js';
import { ROOT } from '../fixtures.js';

const NOT_FOUND = (JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'facts', 'systemd', 'unit-not-found.json'), 'utf8')) as { output: string[] }).output;

describe('unitProbeScript', () => {
  let bin: string;
  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'sparkbook-systemd-'));
    // A stand-in that records its argv, answers `show` for a loaded unit and, like the real one, exits 1 for a disabled unit.
    writeFileSync(join(bin, 'systemctl'), `#!/bin/sh
for a in "$@"; do printf '%s\\n' "$a"; done >> "${bin}/argv"; echo '--next--' >> "${bin}/argv"
case "$1" in
  show) printf 'LoadState=loaded\\nActiveState=active\\nSubState=running\\nUnitFileState=disabled\\nNeedDaemonReload=yes\\n' ;;
  is-enabled) echo disabled; exit 1 ;;
esac
`);
    chmodSync(join(bin, 'systemctl'), 0o755);
  });
  afterEach(() => rmSync(bin, { recursive: true, force: true }));

  const probe = (unit: string, path: string): string => {
    const r = spawnSync('/bin/sh', ['-s'], { input: unitProbeScript(unit).raw(), encoding: 'utf8', env: { PATH: path }, cwd: bin });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };

  it('reads a running unit, and takes a non-zero is-enabled answer as the answer', () => {
    assert.deepEqual(parseUnit(probe('ssh.service', `${bin}:/usr/bin:/bin`)), {
      systemctl: true, loadState: 'loaded', activeState: 'active', subState: 'running', enabled: 'disabled', needDaemonReload: true,
    });
  });

  it('passes a hostile unit name as one argument after --', () => {
    const unit = "-x'; touch pwned #";
    probe(unit, `${bin}:/usr/bin:/bin`);
    const calls = readFileSync(join(bin, 'argv'), 'utf8').split('--next--\n').filter((c) => c !== '');
    assert.deepEqual(calls.map((c) => c.split('\n').slice(-3, -1)), [['--', unit], ['--', unit]]);
    assert.ok(!existsSync(join(bin, 'pwned')), 'nothing in the name ran');
  });

  it('reports a host without systemctl as such, with every state unknown', () => {
    assert.deepEqual(parseUnit(probe('ssh.service', '/nonexistent')), {
      systemctl: false, loadState: null, activeState: null, subState: null, enabled: null, needDaemonReload: null,
    });
  });
});

describe('parseUnit', () => {
  it('reads a recorded unit that does not exist: not-found, inactive, no enablement', () => {
    const show = NOT_FOUND.slice(0, NOT_FOUND.indexOf(''));
    const u = parseUnit(['@section systemd', 'systemctl 1', '@end', '@section show', ...show, '@end', '@section is-enabled', '@end'].join('\n'));
    assert.deepEqual(u, { systemctl: true, loadState: 'not-found', activeState: 'inactive', subState: null, enabled: null, needDaemonReload: null });
  });

  it('falls back to UnitFileState when is-enabled said nothing, and prefers is-enabled otherwise', () => {
    const out = (isEnabled: string): string => `@section show\nUnitFileState=static\n@end\n@section is-enabled\n${isEnabled}\n@end`;
    assert.equal(parseUnit(out('')).enabled, 'static');
    assert.equal(parseUnit(out('masked')).enabled, 'masked');
  });

  it('reads NeedDaemonReload only as yes or no', () => {
    const need = (v: string): boolean | null => parseUnit(`@section show\nNeedDaemonReload=${v}\n@end`).needDaemonReload;
    assert.deepEqual([need('yes'), need('no'), need(''), need('maybe')], [true, false, null, null]);
  });
});
