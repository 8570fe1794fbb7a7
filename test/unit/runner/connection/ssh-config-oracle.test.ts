// OpenSSH as the oracle: the Host block sparkbook writes for a host, read back by `ssh -G HOST -F
// FILE`, gives the hostname, user, port, identity files, ProxyJump and known_hosts files that
// sparkbook's own resolution (resolve.ts, what `run` connects with) gives. ssh expands `~` with
// the account's home and uses the account's name, so the resolution here does too.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { resolveConnectionSettings, type ConnectionDefaults } from '../../../../runner/connection/resolve.js';
import { parseSshConfig } from '../../../../runner/connection/ssh-config.js';
import { blockFromSettings, renderSection } from '../../../../runner/connection/ssh-config-render.js';
import type { ConnectionSettings } from '../../../../runner/connection/settings.js';
import { ensureOpenSshClient, sshG } from '../../../support/openssh.js';

const HOME = homedir();
const USER = userInfo().username;

interface Case {
  readonly name: string;
  readonly host: string;
  readonly vars: Record<string, unknown>;
  /** The user's ssh config that sparkbook resolves through (and that ssh reads after the section). */
  readonly sshConfig?: string;
  readonly defaults?: ConnectionDefaults;
}

const CASES: readonly Case[] = [
  { name: 'address, user and port from the inventory', host: 'spark-01', vars: { ansible_host: '10.0.0.11', ansible_user: 'nvidia', ansible_port: 2222 } },
  { name: 'nothing set: every keyword is ssh\'s default', host: 'spark-02', vars: {} },
  { name: 'a key whose path has spaces and a #', host: 'spark-03', vars: { ansible_host: 'spark-03.local', ansible_ssh_private_key_file: '~/keys/lab key #1.pem' } },
  { name: 'a key path with a % (ssh reads %% as one)', host: 'spark-04', vars: { ansible_ssh_private_key_file: '/srv/keys/100%/id' } },
  { name: 'a jump host from ansible_ssh_common_args', host: 'spark-05', vars: { ansible_host: '192.168.50.5', ansible_ssh_common_args: '-o ProxyJump=admin@bastion.example:2200' } },
  {
    name: 'a jump host that has its own jump host in the ssh config (the chain in order)',
    host: 'spark-06',
    vars: { ansible_host: '10.9.0.6', ansible_ssh_common_args: '-J bastion' },
    sshConfig: 'Host bastion\n  HostName 203.0.113.7\n  User jump\n  ProxyJump gate@edge.example\n',
  },
  {
    name: 'HostName, User, Port and IdentityFile from the user\'s ssh config',
    host: 'spark-07',
    vars: {},
    sshConfig: 'Host spark-07\n  HostName 10.1.2.7\n  User dgx\n  Port 2207\n  IdentityFile ~/.ssh/spark_ed25519\n',
  },
  {
    name: 'the inventory wins over the ssh config, as in a run',
    host: 'spark-08',
    vars: { ansible_port: '2022', ansible_user: 'ops' },
    sshConfig: 'Host spark-08\n  HostName 10.1.2.8\n  User dgx\n  Port 2208\n',
  },
  { name: 'known_hosts files with a space, from ansible_ssh_common_args', host: 'spark-09', vars: { ansible_ssh_common_args: '-o "UserKnownHostsFile=/srv/lab hosts/known /srv/known2"' } },
  { name: 'a user name with a space (quoted)', host: 'spark-10', vars: { ansible_host: '10.0.0.10', ansible_user: 'lab admin' } },
  { name: '-u and --private-key as run-wide defaults', host: 'spark-11', vars: { ansible_host: '10.0.0.11' }, defaults: { user: 'fleet', privateKeyFile: '/etc/sparkbook/fleet_key' } },
  { name: 'IdentitiesOnly and a second key from ssh args', host: 'spark-12', vars: { ansible_ssh_private_key_file: '/k/one', ansible_ssh_common_args: '-i /k/two -o IdentitiesOnly=yes' } },
  { name: 'a password never reaches the block', host: 'spark-13', vars: { ansible_host: '10.0.0.13', ansible_password: 'hunter2-do-not-print' } },
];

const untilde = (p: string): string => (p === '~' ? HOME : p.startsWith('~/') ? join(HOME, p.slice(2)) : p);
const unpercent = (p: string): string => p.replace(/%%/g, '%');

describe('ssh-config blocks read back by OpenSSH (ssh -G)', function () {
  this.timeout(60_000);
  let dir: string;
  let agreements = 0;
  before(() => {
    ensureOpenSshClient();
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-sshg-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    // The figure the issue asks for: how many keyword values ssh and sparkbook agreed on.
    console.log(`      ssh -G agreed with sparkbook's resolution on ${agreements} keyword values over ${CASES.length} hosts`);
  });

  for (const c of CASES) {
    it(`agrees on hostname, user, port, identityfile, proxyjump, userknownhostsfile: ${c.name}`, () => {
      const userText = c.sshConfig ?? '';
      const settings: ConnectionSettings = resolveConnectionSettings(c.host, c.vars, {
        sshConfig: parseSshConfig(userText, 'user-config', { home: HOME }),
        hostKeyPolicy: 'strict',
        env: {},
        home: HOME,
        localUser: USER,
        ...(c.defaults && { defaults: c.defaults }),
      });
      const block = blockFromSettings(settings, { home: HOME, localUser: USER });
      assert.ok(block, 'an ssh host gets a block');
      const file = join(dir, `${c.host}.config`);
      const text = renderSection('/inventories/lab.yml', [block]) + (userText === '' ? '' : `\n${userText}`);
      assert.doesNotMatch(text, /hunter2/, 'no password in the config');
      writeFileSync(file, text);
      const g = sshG(c.host, file);
      const one = (k: string): string | undefined => g.get(k)?.[0];

      assert.equal(one('hostname'), settings.address.toLowerCase(), 'hostname');
      assert.equal(one('user'), settings.user, 'user');
      assert.equal(one('port'), String(settings.port), 'port');
      // The user's own config after the section names some keys again; ssh lists them twice, tries them once.
      const sshKeys = [...new Set((g.get('identityfile') ?? []).map((f) => unpercent(untilde(f))))];
      if (block.identityFiles.length > 0) assert.deepEqual(sshKeys, settings.identityFiles, 'identityfile');
      // Without one named anywhere both try the default keys (ssh has a few more kinds).
      else for (const k of settings.identityFiles) assert.ok(sshKeys.includes(k), `ssh's default identities include ${k}: ${sshKeys.join(', ')}`);
      assert.equal(one('proxyjump'), settings.proxyJump.length > 0 ? settings.proxyJump.map((h) => h.spec).join(',') : undefined, 'proxyjump');
      // ssh -G prints the files space-separated, unquoted: compare that line.
      assert.equal(one('userknownhostsfile')?.split(' ').map(untilde).join(' '), settings.knownHostsFiles.join(' '), 'userknownhostsfile');
      assert.equal(one('identitiesonly'), settings.identitiesOnly ? 'yes' : 'no', 'identitiesonly');
      agreements += 6;
    });
  }

  it('resolves a chained jump as sparkbook connects: the hop\'s own jump host first', () => {
    const settings = resolveConnectionSettings('spark-06', { ansible_ssh_common_args: '-J bastion' }, {
      sshConfig: parseSshConfig('Host bastion\n  ProxyJump gate@edge.example\n', 'user-config', { home: HOME }),
      hostKeyPolicy: 'strict', env: {}, home: HOME, localUser: USER,
    });
    assert.equal(blockFromSettings(settings, { home: HOME, localUser: USER })?.proxyJump, 'gate@edge.example,bastion');
  });
});
