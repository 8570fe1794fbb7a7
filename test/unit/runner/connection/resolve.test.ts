// Connection settings: ansible_ssh_common_args parsing and the precedence ssh config < ssh args < inventory vars.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InputError } from '../../../../runner/errors.js';
import { LocalConnection } from '../../../../runner/connection/local.js';
import { openConnection, parseJumpSpec, resolveConnectionSettings, type ResolveOptions } from '../../../../runner/connection/resolve.js';
import { parseSshArgs } from '../../../../runner/connection/ssh-args.js';
import { Secret } from '../../../../runner/shell/secret.js';

const HOME = join(process.cwd(), 'test/fixtures/connection/home');
const CONFIG = join(HOME, '.ssh', 'config');
const base: ResolveOptions = { hostKeyPolicy: 'strict', sshConfigPath: CONFIG, home: HOME, localUser: 'operator', env: {} };

describe('ansible_ssh_common_args', () => {
  it('turns -o Key=Value, -o "Key Value", -oKey=Value and -o Key Value into ssh_config options', () => {
    const a = parseSshArgs(`-o UserKnownHostsFile=/tmp/kh -o 'IdentitiesOnly yes' -oPort=2200 -o ConnectTimeout 9`, 'v');
    assert.deepEqual(a.options, [
      { keyword: 'userknownhostsfile', args: ['/tmp/kh'] },
      { keyword: 'identitiesonly', args: ['yes'] },
      { keyword: 'port', args: ['2200'] },
      { keyword: 'connecttimeout', args: ['9'] },
    ]);
  });

  it('maps -J, -p, -l, -i and -F, and notes flags that mean nothing here', () => {
    const a = parseSshArgs('-C -q -J ops@bastion:2200 -p 2222 -l admin -i ~/.ssh/k -F /etc/alt_config -L 8080:localhost:80', 'v');
    assert.deepEqual(a.options, [
      { keyword: 'proxyjump', args: ['ops@bastion:2200'] },
      { keyword: 'port', args: ['2222'] },
      { keyword: 'user', args: ['admin'] },
      { keyword: 'identityfile', args: ['~/.ssh/k'] },
    ]);
    assert.equal(a.configFile, '/etc/alt_config');
    assert.equal(a.notes.length, 1);
    assert.match(a.notes[0] ?? '', /-L 8080:localhost:80 has no meaning/);
  });

  it('reads the classic ProxyCommand="ssh -W %h:%p -q user@bastion" as a ProxyJump, and ignores other ProxyCommands', () => {
    const a = parseSshArgs(`-o ProxyCommand="ssh -W %h:%p -q -p 2201 ops@bastion"`, 'v');
    assert.deepEqual(a.options, [{ keyword: 'proxyjump', args: ['ops@bastion:2201'] }]);
    const b = parseSshArgs(`-o ProxyCommand="nc -X 5 -x proxy:1080 %h %p"`, 'v');
    assert.deepEqual(b.options, []);
    assert.match(b.notes[0] ?? '', /ProxyCommand is not supported/);
  });

  it('rejects an unclosed quote, a missing value and a bad port', () => {
    assert.throws(() => parseSshArgs(`-o 'Port=22`, 'ansible_ssh_common_args'), (e: unknown) => e instanceof InputError && /ansible_ssh_common_args: no closing quotation/.test(e.message));
    assert.throws(() => parseSshArgs('-p', 'v'), /-p needs a value/);
    assert.throws(() => parseSshArgs('-p 70000', 'v'), /not a port number/);
  });
});

describe('parseJumpSpec', () => {
  it('reads host, user@host, host:port, [v6]:port and ssh:// forms', () => {
    assert.deepEqual(parseJumpSpec('bastion'), { host: 'bastion' });
    assert.deepEqual(parseJumpSpec('ops@bastion:2200'), { user: 'ops', host: 'bastion', port: 2200 });
    assert.deepEqual(parseJumpSpec('[fd00::1]:22'), { host: 'fd00::1', port: 22 });
    assert.deepEqual(parseJumpSpec('ssh://ops@10.0.0.1:2022'), { user: 'ops', host: '10.0.0.1', port: 2022 });
    assert.throws(() => parseJumpSpec('bastion:0'), InputError);
  });
});

describe('resolveConnectionSettings', () => {
  it('takes HostName, User, Port and IdentityFile from the ssh config for an alias', () => {
    const s = resolveConnectionSettings('spark-01', {}, base);
    assert.equal(s.transport, 'ssh');
    assert.equal(s.address, '192.168.1.21');
    assert.equal(s.user, 'nvidia');
    assert.equal(s.port, 2222);
    assert.equal(s.identitiesOnly, true);
    assert.equal(s.identityFiles[0], join(HOME, '.ssh/sync_key'));
    assert.deepEqual(s.hostKeyAliases, ['spark-01']);
    assert.equal(s.keepaliveIntervalMs, 30_000);
  });

  it('keeps alive every 15 s by default, every third of --timeout when shorter (at least 1 s), and as ServerAliveInterval says when set', () => {
    const noConfig: ResolveOptions = { ...base, sshConfigPath: '/dev/null' };
    assert.equal(resolveConnectionSettings('10.0.0.9', {}, noConfig).keepaliveIntervalMs, 15_000);
    assert.equal(resolveConnectionSettings('10.0.0.9', {}, { ...noConfig, commandTimeoutMs: 15_000 }).keepaliveIntervalMs, 5_000);
    assert.equal(resolveConnectionSettings('10.0.0.9', {}, { ...noConfig, commandTimeoutMs: 600_000 }).keepaliveIntervalMs, 15_000);
    assert.equal(resolveConnectionSettings('10.0.0.9', {}, { ...noConfig, commandTimeoutMs: 900 }).keepaliveIntervalMs, 1_000);
    assert.equal(resolveConnectionSettings('spark-01', {}, { ...base, commandTimeoutMs: 15_000 }).keepaliveIntervalMs, 30_000);
  });

  it('lets ansible_ssh_common_args override the ssh config, and inventory vars override both', () => {
    const args = '-o Port=2300 -o User=from-args -i /keys/args_key -o UserKnownHostsFile=/tmp/args_kh';
    const withArgs = resolveConnectionSettings('spark-01', { ansible_ssh_common_args: args }, base);
    assert.equal(withArgs.port, 2300);
    assert.equal(withArgs.user, 'from-args');
    assert.deepEqual(withArgs.identityFiles.slice(0, 2), ['/keys/args_key', join(HOME, '.ssh/sync_key')]);
    assert.deepEqual(withArgs.knownHostsFiles, ['/tmp/args_kh']);

    const vars = { ansible_ssh_common_args: args, ansible_host: '10.9.9.9', ansible_port: 2400, ansible_user: 'from-vars', ansible_ssh_private_key_file: '/keys/inv_key' };
    const s = resolveConnectionSettings('spark-01', vars, base);
    assert.equal(s.address, '10.9.9.9');
    assert.equal(s.port, 2400);
    assert.equal(s.user, 'from-vars');
    assert.deepEqual(s.identityFiles.slice(0, 3), ['/keys/inv_key', '/keys/args_key', join(HOME, '.ssh/sync_key')]);
    // The ssh config's HostName is still a name the host key may be listed under.
    assert.deepEqual(s.hostKeyAliases, ['spark-01', '192.168.1.21']);
  });

  it('puts -u, --private-key and -k (run-wide defaults) above ssh args and the ssh config, and below inventory vars', () => {
    const defaults = { user: 'from-flag', privateKeyFile: '~/flag_key', password: new Secret('flag-pass') };
    const args = '-o User=from-args -i /keys/args_key';
    const s = resolveConnectionSettings('spark-01', { ansible_ssh_common_args: args }, { ...base, defaults });
    assert.equal(s.user, 'from-flag');
    assert.deepEqual(s.identityFiles.slice(0, 3), [join(HOME, 'flag_key'), '/keys/args_key', join(HOME, '.ssh/sync_key')]);
    assert.equal(s.password?.reveal(), 'flag-pass');

    const inv = resolveConnectionSettings('spark-01', { ansible_user: 'from-vars', ansible_ssh_private_key_file: '/keys/inv_key', ansible_password: 'inv-pass' }, { ...base, defaults });
    assert.equal(inv.user, 'from-vars');
    assert.equal(inv.identityFiles[0], '/keys/inv_key');
    assert.ok(!inv.identityFiles.includes(join(HOME, 'flag_key')), 'the inventory key replaces the flag key, as ansible_ssh_private_key_file replaces --private-key');
    assert.equal(inv.password?.reveal(), 'inv-pass');
  });

  it('prefers sparkbook_* names over ansible_* ones, and reads ports given as strings', () => {
    const s = resolveConnectionSettings('h', { ansible_host: 'a', sparkbook_host: 'b', ansible_port: '2200', sparkbook_user: 'sb', ansible_user: 'an' }, base);
    assert.equal(s.address, 'b');
    assert.equal(s.port, 2200);
    assert.equal(s.user, 'sb');
  });

  it('lets ansible_ssh_common_args win over ansible_ssh_extra_args (ssh: first value wins)', () => {
    const s = resolveConnectionSettings('h', { ansible_ssh_common_args: '-p 2001', ansible_ssh_extra_args: '-p 2002 -l extra' }, base);
    assert.equal(s.port, 2001);
    assert.equal(s.user, 'extra');
  });

  it('falls back to the local user, port 22, the default identities, ~/.ssh/known_hosts and SSH_AUTH_SOCK', () => {
    // A home without ~/.ssh/config: the default config path is read and found missing.
    const home = join(HOME, 'no-such-home');
    const s = resolveConnectionSettings('plain-host', {}, { ...base, home, sshConfigPath: undefined, env: { SSH_AUTH_SOCK: '/run/agent.sock' } });
    assert.equal(s.address, 'plain-host');
    assert.equal(s.port, 22);
    assert.equal(s.user, 'operator');
    assert.deepEqual(s.identityFiles, ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(home, '.ssh', f)));
    assert.deepEqual(s.knownHostsFiles, [join(home, '.ssh/known_hosts'), join(home, '.ssh/known_hosts2')]);
    assert.equal(s.agentSocket, '/run/agent.sock');
    assert.equal(s.connectTimeoutMs, 10_000);
  });

  it('uses --known-hosts as the only file, whatever the config says', () => {
    const s = resolveConnectionSettings('eq-form', {}, { ...base, knownHostsPath: '/tmp/only' });
    assert.deepEqual(s.knownHostsFiles, ['/tmp/only']);
    assert.deepEqual(s.globalKnownHostsFiles, []);
  });

  it('keeps the CLI host-key policy over StrictHostKeyChecking, with a note', () => {
    const s = resolveConnectionSettings('h', { ansible_ssh_common_args: '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null' }, base);
    assert.equal(s.hostKeyPolicy, 'strict');
    assert.ok(s.notes.some((n) => n.includes('StrictHostKeyChecking no is not used')));
  });

  it('resolves ProxyJump hops through the ssh config, each with its own address, port and user', () => {
    const s = resolveConnectionSettings('behind-bastion', {}, base);
    assert.equal(s.address, '10.8.0.5');
    assert.deepEqual(
      s.proxyJump.map((h) => [h.name, h.address, h.port, h.user]),
      [
        ['bastion', 'bastion.example.net', 2200, 'ops'],
        ['jump2', '10.8.0.1', 22, 'relay'],
      ],
    );
    const viaArgs = resolveConnectionSettings('x', { ansible_ssh_common_args: '-J admin@10.0.0.1' }, base);
    assert.deepEqual(viaArgs.proxyJump.map((h) => `${h.user}@${h.address}:${h.port}`), ['admin@10.0.0.1:22']);
  });

  it('uses the connect timeout from the inventory, then ssh args/config, then the option', () => {
    assert.equal(resolveConnectionSettings('eq-form', {}, base).connectTimeoutMs, 7000);
    assert.equal(resolveConnectionSettings('eq-form', { ansible_timeout: 3 }, base).connectTimeoutMs, 3000);
    assert.equal(resolveConnectionSettings('h', {}, { ...base, timeoutMs: 4500 }).connectTimeoutMs, 4500);
  });

  it('wraps passwords in Secret: ansible_password, become passwords (inventory over -K)', () => {
    const cli = new Secret('from-the-prompt');
    const s = resolveConnectionSettings('h', { ansible_password: 'ssh-pass-1', ansible_become: 'yes', ansible_become_user: 'admin', ansible_become_pass: 'become-pass-1' }, { ...base, becomePassword: cli });
    assert.ok(s.password instanceof Secret);
    assert.equal(s.password.reveal(), 'ssh-pass-1');
    assert.equal(String(s.password), '«redacted»');
    assert.deepEqual({ enabled: s.become.enabled, user: s.become.user }, { enabled: true, user: 'admin' });
    assert.equal(s.become.password?.reveal(), 'become-pass-1');
    assert.ok(!JSON.stringify(s).includes('ssh-pass-1') && !JSON.stringify(s).includes('become-pass-1'));
    const fromCli = resolveConnectionSettings('h', {}, { ...base, becomePassword: cli });
    assert.equal(fromCli.become.password, cli);
    assert.equal(fromCli.become.enabled, false);
    assert.equal(fromCli.password, undefined);
  });

  it('takes the key passphrase from SPARKBOOK_KEY_PASSPHRASE', () => {
    const s = resolveConnectionSettings('h', {}, { ...base, env: { SPARKBOOK_KEY_PASSPHRASE: 'pass-phrase-9' } });
    assert.equal(s.keyPassphrase?.reveal(), 'pass-phrase-9');
  });

  it('connects locally for ansible_connection: local and for a bare localhost, over ssh otherwise', async () => {
    assert.equal(resolveConnectionSettings('localhost', {}, base).transport, 'local');
    assert.equal(resolveConnectionSettings('localhost', { ansible_host: '127.0.0.1' }, base).transport, 'ssh');
    const local = resolveConnectionSettings('box', { ansible_connection: 'local' }, base);
    assert.equal(local.transport, 'local');
    const conn = await openConnection('box', local);
    assert.ok(conn instanceof LocalConnection);
    assert.equal(conn.host, 'box');
    await conn.close();
  });

  it('rejects unsupported connections, bad ports and non-string values with the host named', () => {
    assert.throws(() => resolveConnectionSettings('h1', { ansible_connection: 'winrm' }, base), /h1: ansible_connection "winrm" is not supported/);
    assert.throws(() => resolveConnectionSettings('h2', { ansible_port: 'ssh' }, base), /h2: ansible_port must be a port number/);
    assert.throws(() => resolveConnectionSettings('h3', { ansible_user: ['a'] }, base), /h3: ansible_user must be a string, not a list/);
  });
});
