// Secrets never leave through a side door: a become password, a Tailscale auth key and a
// WireGuard private key (a no_log file's content) are absent from scripts as printed, plain and
// JSON output, the JSON report, JUnit, diffs, error messages, and from /proc/<pid>/cmdline (and,
// for the become password, /proc/<pid>/environ) of every process alive during a local run,
// sampled every few milliseconds. The scanner and the sampler are first shown to fire.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sh } from '../../../runner/shell/script.js';
import { Secret } from '../../../runner/shell/secret.js';
import { addFigure } from '../../support/figures.js';
import { CLI, REPO_ROOT } from '../../support/run-cli.js';

const canary = (prefix: string): string => `${prefix}${randomBytes(12).toString('hex')}`;

/** Where `secret` shows in `text`: raw, base64, hex, URL-encoded, JSON-escaped, or any 12-char piece. */
export function leakForms(text: string, secret: string): string[] {
  const found: string[] = [];
  const forms: [string, string][] = [
    ['raw', secret],
    ['base64', Buffer.from(secret).toString('base64').replace(/=+$/, '')],
    ['hex', Buffer.from(secret).toString('hex')],
    ['url', encodeURIComponent(secret)],
    ['json', JSON.stringify(secret).slice(1, -1)],
  ];
  for (const [name, form] of forms) if (text.includes(form)) found.push(name);
  if (found.length === 0) {
    for (let i = 0; i + 12 <= secret.length; i++) {
      if (text.includes(secret.slice(i, i + 12))) {
        found.push(`substring@${i}`);
        break;
      }
    }
  }
  return found;
}

interface Sampled {
  cmdlines: Set<string>;
  environs: Set<string>;
  samples: number;
}

/** Reads the cmdline and environ of every process, every `everyMs`, until stopped. */
function sampleProc(everyMs: number): { stop: () => Sampled } {
  const out: Sampled = { cmdlines: new Set(), environs: new Set(), samples: 0 };
  const self = String(process.pid);
  const tick = (): void => {
    out.samples += 1;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid) || pid === self) continue;
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ');
        out.cmdlines.add(cmdline);
        // sparkbook's own initial environment is what the operator gave it; its children are checked.
        if (!cmdline.includes(CLI)) out.environs.add(readFileSync(`/proc/${pid}/environ`, 'latin1').replace(/\0/g, '\n'));
      } catch {
        // Gone already, or not ours to read.
      }
    }
  };
  const timer = setInterval(tick, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      tick();
      return out;
    },
  };
}

function runCliChild(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const TAILSCALE_STUB = `#!/bin/sh
# A stand-in for the tailscale CLI (labelled as such): needs login until 'up' ran.
state="$STUB_DIR/ts-state"
case "$1" in
  status) if [ -f "$state" ]; then echo '{"BackendState":"Running","Self":{"HostName":"spark-01","Tags":[],"Online":true}}'; else echo '{"BackendState":"NeedsLogin","Self":{}}'; fi ;;
  debug) printf '{\\n  "Hostname": "spark-01"\\n}\\n' ;;
  up) for a in "$@"; do case "$a" in --auth-key=file:*) f=\${a#--auth-key=file:}; stat -c '%a' "$f" >> "$STUB_DIR/ts-key-modes"; echo "$f" >> "$STUB_DIR/ts-key-files" ;; esac; done
      sleep 0.4; touch "$state" ;;
esac
exit 0
`;

describe('secrets never leak', function () {
  this.timeout(120_000);
  let dir: string;
  const become = canary('become-');
  const authKey = `tskey-auth-k${canary('')}CNTRL-${canary('')}`;
  const wgKey = Buffer.from(randomBytes(32)).toString('base64');
  const plain = canary('not-a-secret-');
  let env: NodeJS.ProcessEnv;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-secrets-'));
    const stubs = join(dir, 'stubs');
    mkdirSync(stubs, { recursive: true });
    copyFileSync(join(REPO_ROOT, 'test/fixtures/connection/fake-sudo'), join(stubs, 'sudo'));
    writeFileSync(join(stubs, 'tailscale'), TAILSCALE_STUB);
    chmodSync(join(stubs, 'sudo'), 0o755);
    chmodSync(join(stubs, 'tailscale'), 0o755);
    writeFileSync(join(dir, 'password'), `${become}\n`);
    writeFileSync(join(dir, 'inventory.yml'), 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n');
    writeFileSync(
      join(dir, 'play.yml'),
      `- name: secrets
  hosts: all
  gather_facts: false
  become: true
  become_user: nobody
  tasks:
    - name: join the tailnet
      tailscale: { auth_key: "{{ lookup('env', 'TS_AUTHKEY') }}", hostname: spark-01 }
    - name: a private key in a file
      file: { path: "${dir}/wg.key", content: "{{ lookup('env', 'WG_PRIVATE') }}", mode: "0600" }
      no_log: true
    - name: say something that is not a secret
      debug: { msg: "{{ lookup('env', 'PLAIN_CANARY') }}" }
    - name: a command that prints the auth key and fails
      command: { cmd: 'printf "%s\\n" "$TS_AUTHKEY" >&2; exit 3' }
`,
    );
    env = {
      ...process.env,
      NO_COLOR: '1',
      PATH: `${stubs}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
      STUB_DIR: dir,
      FAKE_SUDO_PASSWORD_FILE: join(dir, 'password'),
      FAKE_SUDO_LOG: join(dir, 'sudo.log'),
      SPARKBOOK_BECOME_PASS: become,
      TS_AUTHKEY: authKey,
      WG_PRIVATE: wgKey,
      PLAIN_CANARY: plain,
    };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('negative control: the scanner finds a secret in each encoded form', () => {
    const s = canary('secret-');
    for (const text of [s, Buffer.from(s).toString('base64'), Buffer.from(s).toString('hex'), `…${s.slice(3, 20)}…`]) {
      assert.ok(leakForms(text, s).length > 0, `missed in ${text}`);
    }
    assert.deepEqual(leakForms('nothing here', s), []);
  });

  it('a Secret is masked in String(script), JSON and inspect, and present only in raw()', () => {
    const s = new Secret(canary('unit-'));
    const script = sh`printf '%s' ${s} > /run/key`;
    assert.ok(script.raw().includes(s.reveal()), 'negative control: raw() is what travels on stdin');
    for (const shown of [String(script), script.toString(), JSON.stringify({ s }), inspect(s), inspect({ script }), `${s}`]) {
      assert.deepEqual(leakForms(shown, s.reveal()), [], shown);
    }
  });

  it('a local run with become, a Tailscale join, a no_log key file and a failing command leaks none of them anywhere', async () => {
    const sampler = sampleProc(5);
    const outputs: Record<string, string> = {};
    let sampled: Sampled;
    try {
      const plainRun = await runCliChild(['run', join(dir, 'play.yml'), '-i', join(dir, 'inventory.yml'), '--diff', '--output', 'plain', '--report', join(dir, 'report.json'), '--junit', join(dir, 'junit.xml'), '--retry-file', join(dir, 'retry')], env, dir);
      outputs['plain stdout'] = plainRun.stdout;
      outputs['plain stderr'] = plainRun.stderr;
      assert.equal(plainRun.code, 4, `the command task fails on purpose: ${plainRun.stderr}`);
      rmSync(join(dir, 'ts-state'), { force: true });
      const jsonRun = await runCliChild(['run', join(dir, 'play.yml'), '-i', join(dir, 'inventory.yml'), '--diff', '--output', 'json', '--retry-file', join(dir, 'retry')], env, dir);
      outputs['json stdout'] = jsonRun.stdout;
      outputs['json stderr'] = jsonRun.stderr;
      rmSync(join(dir, 'ts-state'), { force: true });
      const checkRun = await runCliChild(['run', join(dir, 'play.yml'), '-i', join(dir, 'inventory.yml'), '--check', '--diff', '--output', 'plain', '--retry-file', join(dir, 'retry')], env, dir);
      outputs['check stdout'] = checkRun.stdout;
      outputs['check stderr'] = checkRun.stderr;
    } finally {
      sampled = sampler.stop();
    }
    outputs['report'] = readFileSync(join(dir, 'report.json'), 'utf8');
    outputs['junit'] = readFileSync(join(dir, 'junit.xml'), 'utf8');
    // sudo's argv for every secret; its environment for the become password only: the auth key and
    // the WireGuard key come from the operator's own environment (lookup('env')), which a local
    // child inherits by design (over SSH nothing of it travels).
    const sudoLog = readFileSync(join(dir, 'sudo.log'), 'utf8');
    outputs['sudo argv'] = sudoLog.split('\n').filter((l) => l.startsWith('argv: ')).join('\n');

    // Negative controls on the real outputs: a non-secret value does show, and the run did what we think.
    assert.ok(leakForms(outputs['plain stdout'] ?? '', plain).length > 0, 'the plain canary is printed: the scan sees output');
    assert.ok([...sampled.cmdlines].some((c) => c.includes('tailscale up --auth-key=file:')), 'the sampler saw tailscale up running');
    assert.ok([...sampled.environs].some((e) => e.includes(plain)), 'the sampler reads environ (the plain canary is in every child)');
    assert.ok(sampled.samples > 20, `only ${sampled.samples} samples`);
    const modes = readFileSync(join(dir, 'ts-key-modes'), 'utf8').trim().split('\n');
    assert.deepEqual([...new Set(modes)], ['600'], 'the auth key file was 0600');
    for (const f of readFileSync(join(dir, 'ts-key-files'), 'utf8').trim().split('\n')) assert.ok(!existsSync(f), `${f} was removed`);
    assert.equal(statSync(join(dir, 'wg.key')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(dir, 'wg.key'), 'utf8'), wgKey);

    const leaks: string[] = [];
    const secrets: [string, string][] = [['become password', become], ['auth key', authKey], ['WireGuard key', wgKey]];
    let sinks = 0;
    for (const [what, secret] of secrets) {
      for (const [sink, text] of Object.entries(outputs)) {
        sinks += 1;
        const forms = leakForms(text, secret);
        if (forms.length > 0) leaks.push(`${what} in ${sink} (${forms.join(', ')})`);
      }
      sinks += 1;
      for (const c of sampled.cmdlines) if (leakForms(c, secret).length > 0) leaks.push(`${what} in a cmdline: ${c.slice(0, 120)}`);
    }
    sinks += 2;
    if (leakForms(sudoLog, become).length > 0) leaks.push('become password in the environment of sudo');
    for (const e of sampled.environs) if (leakForms(e, become).length > 0) leaks.push(`become password in the environment of a child: ${e.split('\n').find((l) => l.includes(become))?.split('=')[0]}`);
    addFigure('secrets.sinks', sinks);
    addFigure('secrets.leaked', leaks.length);
    assert.deepEqual(leaks, []);
  });
});
