// Tests modules/lib/sshd-text.ts on recorded sshd_config files: which lines are directives, and edits that are idempotent and never touch a Match block.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { SSHD_DROPIN_DIR, commentOut, directives, ensureInclude, includeLine, listenAddressPorts, renderDropIn, stageMain } from '../../../../modules/lib/sshd-text.js';
import { FIXTURES } from '../fixtures.js';

const recorded = (name: string): string => readFileSync(join(FIXTURES, 'sshd_config', name), 'utf8');
const UBUNTU = recorded('sshd_config.ubuntu-24.04');
const PORT_FIRST = recorded('sshd_config.port-before-include');

describe('directives', () => {
  it('lists the active lines of a recorded Ubuntu 24.04 sshd_config, lower-cased, and skips comments', () => {
    const ds = directives(UBUNTU);
    assert.deepEqual(ds.map((d) => d.keyword), ['include', 'kbdinteractiveauthentication', 'usepam', 'x11forwarding', 'printmotd', 'acceptenv', 'subsystem']);
    assert.equal(ds.find((d) => d.keyword === 'subsystem')?.args, 'sftp\t/usr/lib/openssh/sftp-server');
    assert.ok(ds.every((d) => !d.inMatch));
  });

  it('reads `Key=Value` and indented lines, and marks everything from a Match line on as conditional', () => {
    const ds = directives('Port=2222\n  PasswordAuthentication  yes  \nMatch User backup\n\tPasswordAuthentication no\nPort 22\n');
    assert.deepEqual(ds.map((d) => [d.keyword, d.args, d.line, d.inMatch]), [
      ['port', '2222', 0, false],
      ['passwordauthentication', 'yes', 1, false],
      ['match', 'User backup', 2, true],
      ['passwordauthentication', 'no', 3, true],
      ['port', '22', 4, true],
    ]);
  });
});

describe('commentOut', () => {
  it('disables the Port above the Include of a recorded main file, and leaves the Match block', () => {
    const out = commentOut(PORT_FIRST, new Set(['port', 'passwordauthentication']), includeLine(PORT_FIRST));
    assert.deepEqual(out.split('\n').slice(0, 6), [
      '# disabled by sparkbook, see 01-sparkbook.conf: Port 22',
      '# disabled by sparkbook, see 01-sparkbook.conf: PasswordAuthentication yes',
      'Include /etc/ssh/sshd_config.d/*.conf',
      'UsePAM yes',
      'Match User backup',
      '\tPasswordAuthentication no',
    ]);
  });

  const line = fc.constantFrom('Port 22', 'port=2222', '  PasswordAuthentication yes', '#Port 23', 'UsePAM yes', 'Match User x', '\tPort 24', 'Include /etc/ssh/sshd_config.d/*.conf', '', 'ListenAddress 0.0.0.0');
  const text = fc.array(line, { maxLength: 10 }).map((ls) => ls.join('\n'));
  const keywords = fc.subarray(['port', 'passwordauthentication', 'listenaddress', 'usepam']).map((k) => new Set(k));

  it('is idempotent: commentOut(commentOut(x)) === commentOut(x)', () => {
    fc.assert(
      fc.property(text, keywords, fc.integer({ min: 0, max: 12 }), (t, k, before) => {
        const once = commentOut(t, k, before);
        assert.equal(commentOut(once, k, before), once);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no active unconditional line of the keywords above the limit, and changes no other line', () => {
    fc.assert(
      fc.property(text, keywords, (t, k) => {
        const out = commentOut(t, k);
        assert.deepEqual(directives(out).filter((d) => !d.inMatch && k.has(d.keyword)), []);
        const kept = directives(t).filter((d) => d.inMatch || !k.has(d.keyword));
        assert.deepEqual(directives(out), kept, 'every other directive is as it was, on its line');
        assert.equal(out.split('\n').length, t.split('\n').length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the drop-in Include', () => {
  it('finds the Include of a recorded main file and adds none', () => {
    assert.equal(includeLine(UBUNTU), 11);
    assert.equal(ensureInclude(UBUNTU), UBUNTU);
  });

  it('ignores an Include inside a Match block or of another directory, and puts a real one first', () => {
    const text = 'Include /etc/ssh/other/*.conf\nMatch User x\n  Include /etc/ssh/sshd_config.d/*.conf\n';
    assert.equal(includeLine(text), -1);
    const fixed = ensureInclude(text);
    assert.equal(fixed, `Include ${SSHD_DROPIN_DIR}/*.conf\n${text}`);
    assert.equal(ensureInclude(fixed), fixed, 'idempotent');
  });

  it('accepts the relative form of the Include', () => {
    assert.equal(includeLine('Include sshd_config.d/*.conf\n'), 0);
  });

  it('stages only the drop-in Include, wherever it is, and nothing else', () => {
    const staged = stageMain(UBUNTU, '/etc/ssh/staged/sshd_config.d');
    const before = UBUNTU.split('\n');
    const after = staged.split('\n');
    assert.equal(after[11], 'Include /etc/ssh/staged/sshd_config.d/*.conf');
    assert.deepEqual(after.filter((_, i) => i !== 11), before.filter((_, i) => i !== 11));
    assert.equal(stageMain('Include /etc/ssh/other/*.conf\n', '/x'), 'Include /etc/ssh/other/*.conf\n');
  });
});

describe('listenAddressPorts', () => {
  it('finds the ListenAddress lines that carry a port, IPv4, bracketed IPv6 or a name', () => {
    assert.deepEqual(listenAddressPorts(recorded('listen-with-port.conf')), ['0.0.0.0:22']);
    assert.deepEqual(listenAddressPorts('ListenAddress [::]:2222\nListenAddress localhost:22 rdomain x\n'), ['[::]:2222', 'localhost:22 rdomain x']);
  });

  it('does not read a bare IPv6 address as address:port', () => {
    assert.deepEqual(listenAddressPorts('ListenAddress ::\nListenAddress fe80::1\nListenAddress 2001:db8::22\nListenAddress 192.168.1.5\n#ListenAddress 0.0.0.0:22\n'), []);
  });
});

describe('renderDropIn', () => {
  it('writes the Port lines first, then settings in the given order, one per line', () => {
    const text = renderDropIn([2222, 22], new Map([['PasswordAuthentication', 'no'], ['AllowUsers', 'spark admin']]));
    assert.deepEqual(text.split('\n').slice(1), ['Port 2222', 'Port 22', 'PasswordAuthentication no', 'AllowUsers spark admin', '']);
    assert.match(text, /^# Managed by sparkbook/);
  });

  it('refuses a key that is not a keyword and an empty value', () => {
    assert.throws(() => renderDropIn(null, new Map([['Pass word', 'no']])), /not an sshd_config keyword/);
    assert.throws(() => renderDropIn(null, new Map([['-oProxyCommand', 'x']])), /not an sshd_config keyword/);
    assert.throws(() => renderDropIn(null, new Map([['Banner', '  ']])), /one non-empty line/);
    assert.throws(() => renderDropIn(null, new Map([['Include', '/tmp/*']])), /cannot be set/);
  });
});
