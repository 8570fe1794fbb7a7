// Tests the parser of modules/lib/ufw-observe.ts on recorded ufw outputs and config files: state, defaults, logging, IPv6 and rules.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { UFW_NOT_INSTALLED, parseUfwProbe } from '../../../../modules/lib/ufw-observe.js';
import { FIXTURES } from '../fixtures.js';

const recorded = (name: string): string => readFileSync(join(FIXTURES, 'ufw', name), 'utf8');

/** What ufwProbeScript prints on a host with these outputs and files (defaults file as statScript lines). */
function probe(o: { status: string; added: string; conf: string; defaults: string | null }): string {
  const stat = o.defaults === null ? ['exists 0'] : ['exists 1', 'type file', 'mode 644', 'owner root', `size ${Buffer.byteLength(o.defaults)}`, `content ${Buffer.from(o.defaults).toString('base64')}`];
  return [
    '@section ufw.installed', 'yes', '@end',
    '@section ufw.status', o.status, '@end',
    '@section ufw.added', o.added, '@end',
    '@section ufw.conf', o.conf, '@end',
    '@section ufw.defaults', ...stat, '@end',
  ].join('\n');
}

const ACTIVE = { status: recorded('status-verbose-active.txt'), added: recorded('show-added-active.txt'), conf: 'ENABLED=yes\nLOGLEVEL=low\n', defaults: recorded('default-ufw-ipv6-yes') };

describe('parseUfwProbe', () => {
  it('reads a recorded active firewall: state, policies, logging, IPv6 and the rules with their comments', () => {
    const o = parseUfwProbe(probe(ACTIVE));
    assert.deepEqual([o.installed, o.active, o.enabledAtBoot, o.logging, o.ipv6], [true, true, true, 'low', true]);
    assert.deepEqual(o.defaults, { incoming: 'deny', outgoing: 'allow', routed: 'deny' });
    assert.deepEqual(o.rules, [
      { identity: 'allow 22/tcp', comment: 'sparkbook: the SSH port sparkbook is connected on' },
      { identity: 'allow from 192.168.1.0/24', comment: null },
      { identity: 'allow in on tailscale0 to any port 22 proto tcp', comment: null },
      { identity: 'allow 51820/udp', comment: 'wireguard' },
    ]);
    assert.equal(o.defaultsFile.content, recorded('default-ufw-ipv6-yes'), 'kept for line edits');
  });

  it('reads a recorded inactive firewall, off at boot, with no rules, accepting input and IPv6 off', () => {
    const o = parseUfwProbe(probe({ status: recorded('status-verbose-inactive.txt'), added: recorded('show-added-none.txt'), conf: recorded('ufw.conf-disabled'), defaults: recorded('default-ufw-ipv6-no') }));
    assert.deepEqual([o.active, o.enabledAtBoot, o.ipv6, o.rules], [false, false, false, []]);
    assert.equal(parseUfwProbe(probe({ ...ACTIVE, defaults: recorded('default-ufw-input-accept') })).defaults.incoming, 'allow');
  });

  it('reads `Status: active` only as a whole line, as ufw prints it', () => {
    assert.equal(parseUfwProbe(probe({ ...ACTIVE, status: 'ERROR: You need to be root to run this script\nStatus: active (not really)' })).active, false);
  });

  it('skips commented assignments and reads quoted ones', () => {
    const o = parseUfwProbe(probe({ ...ACTIVE, conf: '#ENABLED=yes\nENABLED=no\nLOGLEVEL="high"\n', defaults: '# IPV6=yes\nIPV6=no\n  DEFAULT_INPUT_POLICY="REJECT"\n' }));
    assert.deepEqual([o.enabledAtBoot, o.logging, o.ipv6, o.defaults.incoming], [false, 'high', false, 'reject']);
  });

  it('gives null for a policy or log level ufw does not have, and a missing defaults file reads as unset', () => {
    const o = parseUfwProbe(probe({ ...ACTIVE, conf: 'LOGLEVEL=verbose\n', defaults: 'DEFAULT_INPUT_POLICY="BLOCK"\n' }));
    assert.deepEqual([o.logging, o.defaults.incoming, o.defaults.outgoing], [null, null, null]);
    const none = parseUfwProbe(probe({ ...ACTIVE, defaults: null }));
    assert.equal(none.defaultsFile.exists, false);
    assert.deepEqual([none.ipv6, none.defaults.incoming], [false, null]);
  });

  it('reads a host without ufw, and any garbage, without throwing', () => {
    assert.deepEqual(parseUfwProbe('@section ufw.installed\nno\n@end'), UFW_NOT_INSTALLED);
    assert.deepEqual(parseUfwProbe(''), UFW_NOT_INSTALLED);
    fc.assert(fc.property(fc.string(), fc.string(), (status, conf) => void parseUfwProbe(probe({ ...ACTIVE, status, conf }))), { numRuns: 200 });
  });
});
