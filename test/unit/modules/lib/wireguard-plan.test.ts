// Tests modules/lib/wireguard-plan.ts on a scratch host under /bin/sh (stand-in wg and systemctl): the plan converges, the key is made once on the host and never printed, absent undoes it all.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderServerConfig } from '../../../../modules/lib/wireguard-config.js';
import { generateWireguardKeyPair } from '../../../../modules/lib/wireguard-keys.js';
import { parseWireguardProbe, wireguardProbeScript, type WireguardPaths } from '../../../../modules/lib/wireguard-observe.js';
import { generateKeyScript, planWireguard, type WireguardWanted } from '../../../../modules/lib/wireguard-plan.js';
import type { Change } from '../../../../runner/module.js';
import { joinScripts, sh, type Script } from '../../../../runner/shell/script.js';

const PEER = { name: 'laptop', publicKey: generateWireguardKeyPair().publicKey, allowedIps: ['10.8.0.2/32'] };

describe('planWireguard on a scratch host', function () {
  const pair = generateWireguardKeyPair();
  let root: string;
  let bin: string;
  let paths: WireguardPaths;

  before(function () {
    // The plan makes root own the key and config, as on a real server.
    if (process.getuid?.() !== 0) this.skip();
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sparkbook-wgplan-'));
    bin = join(root, 'bin');
    mkdirSync(bin);
    mkdirSync(join(root, 'units'));
    paths = { interface: 'wg0', dir: join(root, 'wireguard'), config: join(root, 'wireguard', 'wg0.conf'), key: join(root, 'wireguard', 'wg0.key') };
    const tool = (name: string, body: string): void => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    tool('wg', `case "$1" in genkey) echo '${pair.privateKey.reveal()}' ;; pubkey) cat >/dev/null; echo '${pair.publicKey}' ;; *) exit 1 ;; esac`);
    tool('wg-quick', 'exit 0');
    tool('ip', 'exit 1');
    // A stand-in systemd that remembers enable/start per test and logs what was asked of it.
    const s = join(root, 'units');
    tool('systemctl', `echo "$*" >> ${s}/log
case "$1" in
  is-enabled) cat ${s}/enabled 2>/dev/null || { echo disabled; exit 1; } ;;
  is-active) cat ${s}/active 2>/dev/null || { echo inactive; exit 3; } ;;
  enable) echo enabled > ${s}/enabled ;;
  start|restart) echo active > ${s}/active ;;
  disable) rm -f ${s}/enabled; [ "$2" = --now ] && rm -f ${s}/active ;;
esac`);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const run = (script: Script): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync('/bin/sh', ['-s'], { input: script.raw(), encoding: 'utf8', cwd: root, env: { PATH: `${bin}:/usr/bin:/bin` } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const plan = (w: WireguardWanted): Change[] => planWireguard(w, parseWireguardProbe(run(wireguardProbeScript(paths)).stdout), paths);
  /** The executor's default apply: every change script in one sh, after set -e. */
  const apply = (changes: readonly Change[]): string => {
    const r = run(joinScripts([sh`set -e`, ...changes.map((c) => c.script!)]));
    assert.equal(r.status, 0, r.stderr);
    return r.stdout + r.stderr;
  };
  const server = (over: Partial<WireguardWanted> = {}): WireguardWanted => ({
    state: 'present', service: true, interface: 'wg0', address: '10.8.0.1/24', listenPort: 51820, privateKeyPath: paths.key, peers: [], natInterface: null, ...over,
  });
  const calls = (): string[] => readFileSync(join(root, 'units', 'log'), 'utf8').split('\n').filter((l) => /^(enable|start|restart|disable)/.test(l));

  it('converges a fresh host: 0700 directory, a key made on the host, a 0600 config without it, the unit on', () => {
    const output = apply(plan(server()));
    assert.deepEqual(plan(server()), []);
    assert.ok(!output.includes(pair.privateKey.reveal()), 'the apply printed no key');
    assert.equal(statSync(paths.dir).mode & 0o777, 0o700);
    assert.equal(statSync(paths.key).mode & 0o777, 0o600);
    assert.equal(readFileSync(paths.key, 'utf8').trim(), pair.privateKey.reveal());
    assert.equal(statSync(paths.config).mode & 0o777, 0o600);
    assert.equal(readFileSync(paths.config, 'utf8'), renderServerConfig(server()));
    assert.doesNotMatch(readFileSync(paths.config, 'utf8'), /PrivateKey/);
    assert.deepEqual(calls(), ['enable wg-quick@wg0', 'start wg-quick@wg0']);
    assert.deepEqual(readdirSync(paths.dir).sort(), ['wg0.conf', 'wg0.key'], 'no temp file left');
  });

  it('restarts the running unit when a peer is added, and only then', () => {
    apply(plan(server()));
    const changes = plan(server({ peers: [PEER] }));
    assert.deepEqual(changes.map((c) => c.summary.split(':')[0]), [paths.config, 'systemctl restart wg-quick@wg0 (config changed)']);
    apply(changes);
    assert.deepEqual(plan(server({ peers: [PEER] })), []);
    assert.deepEqual(calls().slice(2), ['restart wg-quick@wg0']);
  });

  it('puts a key that others can read back to 0600 root without changing it', () => {
    apply(plan(server()));
    chmodSync(paths.key, 0o644);
    const changes = plan(server());
    assert.deepEqual(changes.map((c) => c.action), ['~']);
    apply(changes);
    assert.equal(statSync(paths.key).mode & 0o777, 0o600);
    assert.equal(readFileSync(paths.key, 'utf8').trim(), pair.privateKey.reveal());
  });

  it('undoes everything for state absent: unit off, config and key removed, then nothing left to do', () => {
    apply(plan(server()));
    apply(plan(server({ state: 'absent' })));
    assert.deepEqual(plan(server({ state: 'absent' })), []);
    assert.deepEqual([existsSync(paths.config), existsSync(paths.key)], [false, false]);
    assert.deepEqual(calls().slice(2), ['disable --now wg-quick@wg0']);
  });
});

describe('generateKeyScript', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-wgkey-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (path: string): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync('/bin/sh', ['-s'], { input: generateKeyScript(join(dir, 'wg0.key')).raw(), encoding: 'utf8', env: { PATH: path } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('never replaces a key that exists', () => {
    writeFileSync(join(dir, 'wg0.key'), 'the old key\n', { mode: 0o600 });
    const fakeWg = join(dir, 'bin');
    mkdirSync(fakeWg);
    writeFileSync(join(fakeWg, 'wg'), '#!/bin/sh\necho NEW\n', { mode: 0o755 });
    assert.equal(run(`${fakeWg}:/usr/bin:/bin`).status, 0);
    assert.equal(readFileSync(join(dir, 'wg0.key'), 'utf8'), 'the old key\n');
  });

  it('fails with an install hint where wg is missing, and leaves no key or temp file', () => {
    // Only the tools the script needs besides wg, whatever this machine has installed.
    const bare = join(dir, 'bare');
    mkdirSync(bare);
    for (const t of ['mktemp', 'chown', 'chmod', 'mv', 'rm']) symlinkSync(execFileSync('/bin/sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).trim(), join(bare, t));
    const r = run(bare);
    rmSync(bare, { recursive: true });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /wg is not installed: install it first/);
    assert.deepEqual(readdirSync(dir), []);
  });
});
