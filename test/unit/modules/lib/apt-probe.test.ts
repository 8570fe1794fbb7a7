// Tests modules/lib/apt-probe.ts parsers on output recorded from Debian 12.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { aptProbeScript, parseApt, parseAptPolicy, parseDpkgQuery } from '../../../../modules/lib/apt-probe.js';

describe('parseDpkgQuery', () => {
  it('reads package, status and version (recorded: dpkg 1.21 on Debian 12)', () => {
    const out = 'bash\tinstall ok installed\t5.2.15-2+b8\nvim\tinstall ok installed\t2:9.0.1378-2+deb12u2\ntelnetd\tdeinstall ok config-files\t0.17-44';
    assert.deepEqual(parseDpkgQuery(out.split('\n')), {
      bash: { status: 'install ok installed', version: '5.2.15-2+b8' },
      vim: { status: 'install ok installed', version: '2:9.0.1378-2+deb12u2' },
      telnetd: { status: 'deinstall ok config-files', version: '0.17-44' },
    });
  });

  it('prefers the installed architecture of a multi-arch package', () => {
    const out = ['libc6\tinstall ok installed\t2.36', 'libc6\tunknown ok not-installed\t'];
    assert.equal(parseDpkgQuery(out).libc6?.status, 'install ok installed');
  });
});

describe('parseAptPolicy', () => {
  it('reads Installed and Candidate, with (none) as null (recorded: apt 2.6 on Debian 12)', () => {
    const out = [
      'bash:',
      '  Installed: 5.2.15-2+b8',
      '  Candidate: 5.2.15-2+b13',
      '  Version table:',
      '     5.2.15-2+b13 500',
      '        500 http://deb.debian.org/debian bookworm/main amd64 Packages',
      ' *** 5.2.15-2+b8 100',
      '        100 /var/lib/dpkg/status',
      'wireguard:',
      '  Installed: (none)',
      '  Candidate: 1.0.20210914-1',
      '  Version table:',
    ];
    assert.deepEqual(parseAptPolicy(out), {
      bash: { installed: '5.2.15-2+b8', candidate: '5.2.15-2+b13' },
      wireguard: { installed: null, candidate: '1.0.20210914-1' },
    });
  });
});

describe('aptProbeScript', () => {
  it('runs under dash on this Debian host and parses into installed packages', function () {
    const r = spawnSync('/bin/sh', ['-s'], { input: aptProbeScript(['bash', 'no-such-package-zz'], false).raw(), encoding: 'utf8' });
    assert.equal(r.status, 0);
    const o = parseApt(r.stdout);
    assert.equal(o.aptGet, true);
    assert.equal(o.packages.bash?.status, 'install ok installed');
    assert.equal(o.packages['no-such-package-zz'], undefined);
    assert.ok(o.now !== null && o.now > 1_600_000_000);
  });

  it('is total: garbage parses to empty data', () => {
    assert.deepEqual(parseApt('garbage\n@section dpkg\n\tx\n'), { aptGet: false, now: null, cacheUpdated: null, packages: {}, policy: {} });
  });
});
