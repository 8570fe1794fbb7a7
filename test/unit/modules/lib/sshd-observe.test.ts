// Tests the parser of modules/lib/sshd-observe.ts: how sshd is started, its files in the order sshd reads them, and a failed `sshd -T`, from probe output.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { MISSING_FILE } from '../../../../modules/lib/probe-file.js';
import { parseSshdProbe } from '../../../../modules/lib/sshd-observe.js';
import { UFW_NOT_INSTALLED } from '../../../../modules/lib/ufw-observe.js';
import { FIXTURES } from '../fixtures.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const recorded = (name: string): string => readFileSync(join(FIXTURES, 'sshd_config', name), 'utf8');
const block = (name: string, lines: readonly string[]): string => [`@section ${name}`, ...lines, '@end'].join('\n');
const conf = (section: string, name: string, content?: string): string => block(section, [`name ${b64(name)}`, ...(content === undefined ? [] : [`content ${b64(content)}`])]);

/** An Ubuntu 24.04 host: ssh.socket with the generator, a cloud-init drop-in, sshd on 22 and 2222. */
const UBUNTU = [
  block('sshd.init', [
    'sshd /usr/sbin/sshd', 'systemctl 1', 'systemd 1', 'systemd-run 1', 'socket-enabled enabled', 'socket-active active',
    'service ssh.service', 'generator 1', 'listen 22', 'listen 2222', 'listen 22',
  ]),
  block('sshd.main', ['exists 1', 'type file', 'mode 644', 'owner root', `content ${b64(recorded('sshd_config.ubuntu-24.04'))}`]),
  conf('sshd.dropin.1', '50-cloud-init.conf', recorded('50-cloud-init.conf')),
  conf('sshd.dropin.2', '01-sparkbook.conf', recorded('01-sparkbook.conf-2222')),
  conf('sshd.sockdrop.1', 'addresses.conf', '[Socket]\nListenStream=2222\n'),
  block('sshd.T', recorded('sshd-T.port-2222.txt').trimEnd().split('\n')),
].join('\n');

describe('parseSshdProbe', () => {
  it('reads a socket-activated Ubuntu host: init, the main file, drop-ins sorted as sshd reads them, ports and listeners', () => {
    const o = parseSshdProbe(UBUNTU);
    assert.equal(o.sshd, '/usr/sbin/sshd');
    assert.deepEqual(o.init, {
      systemctl: true, systemdRunning: true, systemdRun: true, socketEnabled: 'enabled', socketActive: 'active', serviceUnit: 'ssh.service',
      generator: true, socketDropIns: [{ name: 'addresses.conf', content: '[Socket]\nListenStream=2222\n' }], pidfile: null,
    });
    assert.equal(o.main.content, recorded('sshd_config.ubuntu-24.04'));
    assert.deepEqual(o.dropIns.map((d) => d.name), ['01-sparkbook.conf', '50-cloud-init.conf'], 'glob order: byte order, not probe order');
    assert.equal(o.dropIns[1]?.content, recorded('50-cloud-init.conf'));
    assert.ok(o.effective !== null);
    assert.equal(o.effectiveError, null);
    assert.deepEqual(o.ports, [2222], 'from sshd -T');
    assert.deepEqual(o.listening, [22, 2222], 'deduped and sorted');
    assert.deepEqual(o.ufw, UFW_NOT_INSTALLED, 'no ufw sections: not installed');
  });

  it('keeps the reason when sshd -T fails, and reports no effective config or ports', () => {
    const o = parseSshdProbe(block('sshd.T', ['/etc/ssh/sshd_config line 3: Bad configuration option: Prot', '/etc/ssh/sshd_config: terminating, 1 bad configuration options', '@error 255']));
    assert.equal(o.effective, null);
    assert.deepEqual(o.ports, []);
    assert.equal(o.effectiveError, '/etc/ssh/sshd_config line 3: Bad configuration option: Prot\n/etc/ssh/sshd_config: terminating, 1 bad configuration options');
  });

  it('reads a drop-in that is not text, or too large to send, as present with no content', () => {
    const o = parseSshdProbe([conf('sshd.dropin.1', 'binary.conf', '\0\x01'), conf('sshd.dropin.2', 'huge.conf')].join('\n'));
    assert.deepEqual(o.dropIns, [{ name: 'binary.conf', content: null }, { name: 'huge.conf', content: null }]);
  });

  it('reads a host without systemd, sshd started from a pidfile', () => {
    const o = parseSshdProbe(block('sshd.init', ['sshd ', 'systemctl 0', 'systemd 0', 'systemd-run 0', 'pidfile /run/sshd.pid']));
    assert.equal(o.sshd, null, 'an empty sshd path is no sshd');
    assert.deepEqual([o.init.systemctl, o.init.systemdRunning, o.init.serviceUnit, o.init.pidfile], [false, false, null, '/run/sshd.pid']);
  });

  it('is total: empty or garbage output gives a host with nothing, never a throw', () => {
    const o = parseSshdProbe('');
    assert.deepEqual([o.sshd, o.main, o.dropIns, o.effective, o.ports, o.listening], [null, MISSING_FILE, [], null, [], []]);
    fc.assert(fc.property(fc.array(fc.constantFrom('@section sshd.init', '@section sshd.T', '@section sshd.dropin.1', '@end', 'listen x', 'name !!', 'port 22', '@error'), { maxLength: 12 }), (lines) => void parseSshdProbe(lines.join('\n'))), { numRuns: 300 });
  });
});
