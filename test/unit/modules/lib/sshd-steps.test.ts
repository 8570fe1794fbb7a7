// The pure parts of the sshd_config apply: text edits, sshd -T parsing and the lockout check,
// the staged-validation, arm, rollback and disarm scripts.
import assert from 'node:assert/strict';
import { commentOut, ensureInclude, includeLine, renderDropIn, stageMain } from '../../../../modules/lib/sshd-text.js';
import { effectivePorts, operatorLockouts, parseSshdT } from '../../../../modules/lib/sshd-effective.js';
import { activationCommand, armScript, disarmScript, rollbackScriptText, stageAndValidateScript } from '../../../../modules/lib/sshd-steps.js';
import { validationProblems } from '../../../../modules/lib/sshd-validate.js';
import type { SshdPlan } from '../../../../modules/lib/sshd-plan.js';
import { movePortRule } from '../../../../modules/lib/ufw-rules.js';

const phase = (ports: number[]) => ({
  ports,
  files: [{ path: '/etc/ssh/sshd_config.d/01-sparkbook.conf', before: null, after: renderDropIn(ports, new Map()), mode: '0600' }],
  main: 'Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\n',
  dropIns: [{ name: '01-sparkbook.conf', content: renderDropIn(ports, new Map()) }],
});

const PLAN: SshdPlan = {
  init: 'socket-generator',
  serviceUnit: null,
  pidfile: null,
  systemdTimer: true,
  currentPorts: [22],
  newPort: 2222,
  portMove: true,
  first: phase([22, 2222]),
  final: phase([2222]),
  ufwOpen: ['allow 2222/tcp'],
  ufwClose: ['allow 22/tcp'],
  confirmTimeoutS: 120,
};

describe('sshd text edits', () => {
  it('comments out only active, unconditional directives and is idempotent', () => {
    const text = 'Port 22\n#Port 23\nMatch User x\n  Port 24\n';
    const once = commentOut(text, new Set(['port']));
    assert.equal(once, '# disabled by sparkbook, see 01-sparkbook.conf: Port 22\n#Port 23\nMatch User x\n  Port 24\n');
    assert.equal(commentOut(once, new Set(['port'])), once);
  });

  it('adds the drop-in Include when the main file lacks it, and stages it to another directory', () => {
    const main = ensureInclude('UsePAM yes\n');
    assert.equal(includeLine(main), 0);
    assert.equal(ensureInclude(main), main);
    assert.equal(stageMain(main, '/etc/ssh/sparkbook-staged-x-0/sshd_config.d'), 'Include /etc/ssh/sparkbook-staged-x-0/sshd_config.d/*.conf\nUsePAM yes\n');
  });

  it('refuses Match, Include and Port in settings, and multi-line values', () => {
    assert.throws(() => renderDropIn(null, new Map([['Match', 'User x']])), /cannot be set/);
    assert.throws(() => renderDropIn(null, new Map([['port', '22']])), /use the port parameter/);
    assert.throws(() => renderDropIn(null, new Map([['Banner', 'a\nPermitRootLogin yes']])), /one non-empty line/);
  });
});

describe('sshd -T and the operator lockout check', () => {
  it('reads ports and repeated keywords', () => {
    const c = parseSshdT('port 2222\nport 22\nallowusers alice bob\nallowusers carol\n');
    assert.deepEqual(effectivePorts(c), [22, 2222]);
    assert.deepEqual(c.get('allowusers'), ['alice bob', 'carol']);
  });

  it('finds the classic lockouts', () => {
    const t = (s: string) => parseSshdT(s);
    assert.deepEqual(operatorLockouts(t('permitrootlogin no\n'), 'root', ['root']), ['PermitRootLogin no refuses root, the user sparkbook connects as']);
    assert.deepEqual(operatorLockouts(t('allowusers admin ops@10.0.0.*\n'), 'nvidia', []), ['AllowUsers does not include nvidia']);
    assert.deepEqual(operatorLockouts(t('allowusers nv*\n'), 'nvidia', []), []);
    assert.deepEqual(operatorLockouts(t('denyusers nvidia\n'), 'nvidia', []), ['DenyUsers matches nvidia']);
    assert.deepEqual(operatorLockouts(t('allowgroups admins\n'), 'nvidia', ['nvidia', 'sudo']), ['AllowGroups includes no group of nvidia']);
    assert.match(operatorLockouts(t('pubkeyauthentication no\npasswordauthentication no\n'), 'nvidia', [])[0] ?? '', /no authentication method/);
  });

  it('flags a phase that would listen on other ports than planned', () => {
    const out = ['@section sshd.groups', 'nvidia', '@end', '@section sshd.t.0', '@ok', '@end', '@section sshd.T.0.2222', 'port 22', 'port 2222', '@end'].join('\n');
    assert.deepEqual(validationProblems(out, [phase([2222])], 'nvidia'), ['the candidate config would listen on 22,2222, not 2222 (another file sets Port?)']);
  });
});

describe('sshd apply step scripts', () => {
  it('stages outside the live Include glob and validates with -C for the operator on each port', () => {
    const text = String(stageAndValidateScript('id9', [PLAN.first, PLAN.final!], 'nvidia'));
    assert.match(text, /s=\/etc\/ssh\/sparkbook-staged-id9-0\n/);
    assert.match(text, /"\$sshd" -t -f "\$s\/sshd_config"/);
    assert.match(text, /-C "user=\$u,host=\$addr,addr=\$addr,laddr=\$laddr,lport=2222"/);
    assert.match(text, /trap 'for d in \$dirs; do rm -rf -- "\$d"; done' EXIT/);
    assert.doesNotMatch(text, /\/etc\/ssh\/sshd_config\.d\/01-sparkbook/, 'never writes a live drop-in');
  });

  it('arms a transient systemd timer with the confirm timeout, after backing up', () => {
    const text = String(armScript('id9', PLAN));
    assert.ok(text.indexOf('cp -p --') < text.indexOf('systemd-run'));
    assert.match(text, /systemd-run --quiet --unit=sparkbook-sshd-rollback-id9 --on-active=120s --timer-property=AccuracySec=1s \/bin\/sh "\$d\/rollback.sh"/);
  });

  it('arms a detached sleeper in its own session where there is no systemd', () => {
    const text = String(armScript('id9', { ...PLAN, systemdTimer: false }));
    assert.match(text, /setsid \/bin\/sh -c 'sleep "\$1"; exec \/bin\/sh "\$2\/rollback.sh"' sparkbook-rollback 120 "\$d"/);
    assert.match(text, /echo \$! > "\$d\/timer.pid"/);
  });

  it('writes a rollback that claims the marker once, restores or removes each file, and reactivates', () => {
    const text = rollbackScriptText('id9', PLAN);
    assert.match(text, /^mv -- "\$d\/armed" "\$d\/fired" 2>\/dev\/null \|\| exit 0$/m);
    assert.match(text, /^rm -f -- '\/etc\/ssh\/sshd_config.d\/01-sparkbook.conf'$/m, 'a file that did not exist is removed');
    assert.match(text, /systemctl daemon-reload && systemctl restart ssh.socket/);
  });

  it('disarms only if the rollback has not fired, then stops the timer and drops the backups', () => {
    const text = String(disarmScript('id9'));
    assert.match(text, /if ! mv -- "\$d\/armed" "\$d\/disarmed"/);
    assert.match(text, /systemctl stop sparkbook-sshd-rollback-id9.timer/);
    assert.match(text, /rm -rf -- "\$d"/);
  });

  it('activates by init system: socket, service reload, or SIGHUP to the pidfile', () => {
    assert.equal(String(activationCommand({ init: 'service', serviceUnit: 'ssh.service', pidfile: null })), 'systemctl reload ssh.service');
    assert.equal(String(activationCommand({ init: 'pidfile', serviceUnit: null, pidfile: '/run/sshd.pid' })), 'kill -HUP "$(cat /run/sshd.pid)"');
    assert.match(String(activationCommand({ init: 'socket-override', serviceUnit: null, pidfile: null })), /daemon-reload && systemctl restart ssh.socket/);
  });

  it('mirrors the ufw rules of the old SSH port for the new one', () => {
    assert.equal(movePortRule('allow 22/tcp', 22, 2222), 'allow 2222/tcp');
    assert.equal(movePortRule('limit 22', 22, 2222), 'limit 2222');
    assert.equal(movePortRule('allow OpenSSH', 22, 2222), 'allow 2222/tcp');
    assert.equal(movePortRule('allow in on tailscale0 to any port 22 proto tcp', 22, 2222), 'allow in on tailscale0 to any port 2222 proto tcp');
    assert.equal(movePortRule('allow from 10.0.0.0/8 port 22', 22, 2222), null);
    assert.equal(movePortRule('allow 51820/udp', 22, 2222), null);
  });
});
