// Tests modules/lib/wireguard-observe.ts: the probe run under /bin/sh with stand-in wg, systemctl and ip prints the public key only, and its parser is total.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MISSING_FILE } from '../../../../modules/lib/probe-file.js';
import { generateWireguardKeyPair } from '../../../../modules/lib/wireguard-keys.js';
import { parseWireguardProbe, wireguardProbeScript, type WireguardPaths } from '../../../../modules/lib/wireguard-observe.js';

describe('wireguardProbeScript under /bin/sh', () => {
  const pair = generateWireguardKeyPair();
  let root: string;
  let bin: string;
  let paths: WireguardPaths;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sparkbook-wgobs-'));
    bin = join(root, 'bin');
    mkdirSync(bin);
    paths = { interface: 'wg0', dir: join(root, 'wireguard'), config: join(root, 'wireguard', 'wg0.conf'), key: join(root, 'wireguard', 'wg0.key') };
    const tool = (name: string, body: string): void => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    // `wg pubkey` derives from stdin; the stand-in checks it was given the key, as the real one needs.
    tool('wg', `[ "$1" = pubkey ] || exit 1; [ "$(cat)" = '${pair.privateKey.reveal()}' ] || exit 1; echo '${pair.publicKey}'`);
    tool('wg-quick', 'exit 0');
    tool('systemctl', 'case "$1" in is-enabled) echo enabled ;; is-active) echo inactive; exit 3 ;; esac');
    tool('ip', 'exit 1');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const probe = (path = `${bin}:/usr/bin:/bin`): string => {
    const r = spawnSync('/bin/sh', ['-s'], { input: wireguardProbeScript(paths).raw(), encoding: 'utf8', env: { PATH: path } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };

  it('reads a configured server: its key by mode and derived public key, never the private key itself', () => {
    mkdirSync(paths.dir, { mode: 0o700 });
    writeFileSync(paths.key, pair.privateKey.reveal(), { mode: 0o600 });
    writeFileSync(paths.config, '[Interface]\nListenPort = 51820\n', { mode: 0o600 });
    const out = probe();
    assert.ok(!out.includes(pair.privateKey.reveal()), 'the private key is not in the output');
    assert.ok(!out.includes(Buffer.from(pair.privateKey.reveal()).toString('base64')), 'nor its base64');
    const o = parseWireguardProbe(out);
    assert.deepEqual([o.wg, o.wgQuick, o.systemctl], [true, true, true]);
    assert.equal(o.key.exists, true);
    assert.equal(o.key.mode, '0600');
    assert.equal(o.publicKey, pair.publicKey);
    assert.equal(o.dir.type, 'directory');
    assert.equal(o.dir.mode, '0700');
    assert.equal(o.config.content, '[Interface]\nListenPort = 51820\n');
    assert.deepEqual([o.unitEnabled, o.unitActive, o.linkUp], ['enabled', 'inactive', false]);
  });

  it('reads a fresh host: no directory, key or config, and no public key', () => {
    const o = parseWireguardProbe(probe());
    assert.deepEqual([o.key.exists, o.publicKey, o.dir.exists, o.config.exists], [false, null, false, false]);
  });

  it('reads a host without wireguard-tools or systemd as such, key present but underivable', () => {
    mkdirSync(paths.dir);
    writeFileSync(paths.key, pair.privateKey.reveal(), { mode: 0o644 });
    // This machine may have systemctl: the host here has only the basic tools the probe needs.
    const bare = join(root, 'bare');
    mkdirSync(bare);
    for (const t of ['stat', 'sha256sum', 'base64', 'readlink', 'cat']) symlinkSync(execFileSync('/bin/sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).trim(), join(bare, t));
    const o = parseWireguardProbe(probe(bare));
    assert.deepEqual([o.wg, o.wgQuick, o.systemctl, o.key.exists, o.key.mode, o.publicKey], [false, false, false, true, '0644', null]);
    assert.deepEqual([o.unitEnabled, o.unitActive], [null, null]);
  });
});

describe('parseWireguardProbe', () => {
  const state = (...lines: string[]): string => ['@section wg.state', ...lines, '@end'].join('\n');

  it('takes as a public key only a WireGuard key, not an error message wg printed', () => {
    assert.equal(parseWireguardProbe(state('key 1', 'pubkey Key is not the correct length or format')).publicKey, null);
    assert.equal(parseWireguardProbe(state('key 1', 'pubkey ')).publicKey, null);
  });

  it('pads the key mode to four digits and drops one that is not octal', () => {
    assert.equal(parseWireguardProbe(state('key 1', 'keymode 600')).key.mode, '0600');
    assert.equal(parseWireguardProbe(state('key 1', 'keymode 6x0')).key.mode, null);
  });

  it('is total: nothing printed means nothing there', () => {
    const o = parseWireguardProbe('');
    assert.deepEqual(o, {
      wg: false, wgQuick: false, systemctl: false, dir: MISSING_FILE, key: { exists: false, mode: null, owner: null },
      publicKey: null, config: MISSING_FILE, unitEnabled: null, unitActive: null, linkUp: false,
    });
  });
});
