// ssh client config (runner/connection/ssh-config.ts): Host/Match blocks, Include, first-value-wins, tokens, located errors.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InputError } from '../../../../runner/errors.js';
import { loadSshConfig, parseSshConfig, resolveSshConfig } from '../../../../runner/connection/ssh-config.js';

const FIXTURES = join(process.cwd(), 'test/fixtures/connection');
const HOME = join(FIXTURES, 'home');
const CONFIG = join(HOME, '.ssh', 'config');
const config = loadSshConfig(CONFIG, HOME);
const resolve = (alias: string): ReturnType<typeof resolveSshConfig> => resolveSshConfig(config, alias, { home: HOME, localUser: 'operator' });

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e;
  }
  assert.fail('expected an InputError');
}

describe('ssh config', () => {
  it('gives an alias its HostName, User, IdentityFile and IdentitiesOnly, first value winning', () => {
    const c = resolve('spark-01');
    assert.equal(c.hostName, '192.168.1.21');
    // `Host spark-0?` also matches and says User dgx, but the first User wins.
    assert.equal(c.user, 'nvidia');
    assert.equal(c.port, 2222);
    assert.equal(c.identitiesOnly, true);
    assert.equal(c.serverAliveInterval, 30);
  });

  it('accumulates IdentityFile across matching blocks, expanding ~, %d and %h (the HostName)', () => {
    assert.deepEqual(resolve('spark-01').identityFiles, [join(HOME, '.ssh/sync_key'), join(HOME, '.ssh/id_192.168.1.21'), join(HOME, '.ssh/id_ed25519')]);
  });

  it('applies glob patterns and lets a negated pattern exclude a host', () => {
    assert.equal(resolve('spark-07').user, 'dgx');
    assert.equal(resolve('spark-07').port, 2222);
    assert.equal(resolve('spark-09').user, 'fallback');
    assert.equal(resolve('spark-09').port, undefined);
  });

  it('reads Include files (relative to ~/.ssh, globbed, in order) where the Include line stands', () => {
    const inc = resolve('included-host');
    assert.equal(inc.hostName, '172.16.0.9');
    assert.equal(inc.port, 2022);
    // Included before the main file's blocks, so its HostName is the first one seen.
    assert.equal(resolve('spark-02').hostName, '192.168.1.22');
    assert.equal(resolve('spark-02').user, 'dgx');
  });

  it('keeps ProxyJump as written (several hops, user@host:port) and drops `none`', () => {
    assert.equal(resolve('behind-bastion').proxyJump, 'ops@bastion:2200,jump2');
    const none = parseSshConfig('Host a\n  ProxyJump none\nHost *\n  ProxyJump other\n', 'cfg');
    assert.equal(resolveSshConfig(none, 'a', { home: HOME, localUser: 'u' }).proxyJump, undefined);
  });

  it('supports `Match host` against the HostName found so far, and ignores other Match criteria with a note', () => {
    const c = resolve('behind-bastion');
    assert.equal(c.user, 'matched-by-hostname');
    assert.ok(c.notes.some((n) => n.includes('Match exec is not supported')));
    assert.equal(resolve('spark-09').user, 'fallback');
  });

  it('reads `Key=Value`, `Key = "quoted value"`, several known-hosts files and StrictHostKeyChecking', () => {
    const c = resolve('eq-form');
    assert.equal(c.hostName, 'host with spaces.example');
    assert.equal(c.connectTimeout, 7);
    assert.deepEqual(c.userKnownHostsFiles, [join(HOME, '.ssh/kh_a'), join(HOME, '.ssh/kh_b')]);
    assert.equal(c.strictHostKeyChecking, 'accept-new');
  });

  it('expands %h in HostName to the alias', () => {
    assert.equal(resolve('token-host').hostName, 'token-host.lab.example');
  });

  it('treats keywords case-insensitively and leaves a host no block matches with no settings', () => {
    const c = parseSshConfig('HOST Web\n  hostNAME 10.1.1.1\n  PORT 2200\n', 'cfg');
    assert.equal(resolveSshConfig(c, 'web', { home: HOME, localUser: 'u' }).hostName, '10.1.1.1');
    const nothing = resolveSshConfig(c, 'db', { home: HOME, localUser: 'u' });
    assert.equal(nothing.hostName, undefined);
    assert.deepEqual(nothing.identityFiles, []);
  });

  it('restores the enclosing block after an Include, like OpenSSH', () => {
    const c = parseSshConfig(`Host a\n  Include ${join(HOME, '.ssh/conf.d/20-second.conf')}\n  User after-include\n`, 'cfg', { home: HOME });
    assert.equal(resolveSshConfig(c, 'a', { home: HOME, localUser: 'u' }).user, 'after-include');
    assert.equal(resolveSshConfig(c, 'spark-02', { home: HOME, localUser: 'u' }).hostName, undefined);
  });

  it('reports a bad Port with the file, line and column', () => {
    const file = join(FIXTURES, 'bad_ssh_config_port');
    const e = inputError(() => loadSshConfig(file, HOME));
    assert.equal(e.kind, 'ssh-config');
    assert.deepEqual(e.where, { file, line: 5, col: 3 });
    assert.match(e.message, /Port must be a number/);
  });

  it('reports an unterminated quote and a Host without patterns, located', () => {
    const quote = inputError(() => loadSshConfig(join(FIXTURES, 'bad_ssh_config_quote'), HOME));
    assert.equal(quote.where?.line, 2);
    assert.match(quote.message, /unterminated quote/);
    const host = inputError(() => loadSshConfig(join(FIXTURES, 'bad_ssh_config_host'), HOME));
    assert.deepEqual(host.where, { file: join(FIXTURES, 'bad_ssh_config_host'), line: 1, col: 1 });
  });

  it('treats a missing default config as empty but a missing -F file as an error', () => {
    assert.deepEqual(loadSshConfig(undefined, join(FIXTURES, 'no-such-home')).items, []);
    assert.equal(inputError(() => loadSshConfig(join(FIXTURES, 'no-such-config'))).kind, 'ssh-config');
  });
});
