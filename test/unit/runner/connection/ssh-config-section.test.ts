// The Host block renderer (quoting, defaults left out) and the marked-section merger (idempotent,
// every byte outside the section kept, broken markers refused with the line).
import assert from 'node:assert/strict';
import { InputError } from '../../../../runner/errors.js';
import { quoteSshWord, renderBlock, renderSection } from '../../../../runner/connection/ssh-config-render.js';
import { findSections, mergeSection, withoutSection } from '../../../../runner/connection/ssh-config-merge.js';
import { parseSshConfig, resolveSshConfig } from '../../../../runner/connection/ssh-config.js';

const INV = '/srv/fleet/inventory.yml';
const USER_CONFIG = [
  '# my laptop config',
  'Include ~/.ssh/config.d/*',
  'ServerAliveInterval 30',
  '',
  'Host work-*',
  '\tUser me   # trailing comment, a tab, and three spaces',
  'Match host *.internal exec "true"',
  '  ProxyJump gw',
  '',
].join('\n');

function section(port: number): string {
  return renderSection(INV, [{ alias: 'spark-01', hostName: '10.0.0.1', port, identityFiles: [] }]);
}

describe('ssh_config quoting', () => {
  it('leaves a plain word as it is and puts one with blanks, # or \' in double quotes', () => {
    assert.equal(quoteSshWord('/home/a/.ssh/id', 'k'), '/home/a/.ssh/id');
    assert.equal(quoteSshWord('/keys/my key', 'k'), '"/keys/my key"');
    assert.equal(quoteSshWord('#1', 'k'), '"#1"');
    assert.equal(quoteSshWord("it's", 'k'), '"it\'s"');
    assert.equal(quoteSshWord('', 'k'), '""');
  });

  it('refuses a newline, a double quote, a backslash and ${ (ssh would read them differently)', () => {
    for (const v of ['a\nb', 'a"b', 'a\\b', '${HOME}/k']) assert.throws(() => quoteSshWord(v, 'spark-01: IdentityFile'), (e: unknown) => e instanceof InputError && e.kind === 'inventory' && /spark-01: IdentityFile/.test(e.message), v);
  });

  it('refuses an inventory name that would be a pattern matching other hosts', () => {
    for (const alias of ['spark-*', 'a b', '!x', 'a,b']) assert.throws(() => renderBlock({ alias, identityFiles: [] }), /cannot be an ssh_config Host pattern/, alias);
  });

  it('writes only the keywords given, with a literal % doubled in paths', () => {
    assert.equal(renderBlock({ alias: 'spark-01', identityFiles: [] }), 'Host spark-01\n');
    assert.equal(
      renderBlock({ alias: 's', hostName: 'h', user: 'u', port: 2222, identityFiles: ['/k/100%'], identitiesOnly: true, proxyJump: 'j@b:22', userKnownHostsFiles: ['/a b', '/c'] }),
      'Host s\n  HostName h\n  User u\n  Port 2222\n  IdentityFile /k/100%%\n  IdentitiesOnly yes\n  ProxyJump j@b:22\n  UserKnownHostsFile "/a b" /c\n',
    );
  });

  it('writes a block that sparkbook\'s own ssh config reader reads back field for field', () => {
    const block = { alias: 's', hostName: 'h.example', user: "o'neil", port: 2200, identityFiles: ['/keys/lab key #1.pem', '/k/100%', ''], identitiesOnly: true, proxyJump: 'j@b:22,gw', userKnownHostsFiles: ['/a b', "/it's"] };
    const back = resolveSshConfig(parseSshConfig(renderBlock(block), '/c', { home: '/home/u' }), 's', { home: '/home/u', localUser: 'u' });
    const { alias: _alias, ...fields } = block;
    assert.deepEqual(
      { hostName: back.hostName, user: back.user, port: back.port, identityFiles: back.identityFiles, identitiesOnly: back.identitiesOnly, proxyJump: back.proxyJump, userKnownHostsFiles: back.userKnownHostsFiles },
      fields,
    );
  });

  it('refuses a % in HostName (ssh would read it as a token)', () => {
    assert.throws(() => renderBlock({ alias: 's', hostName: 'h%h', identityFiles: [] }), /has a %/);
  });
});

describe('merging the marked section into an ssh config', () => {
  it('puts a new section first and keeps every byte of the file after it', () => {
    const merged = mergeSection(USER_CONFIG, INV, section(22), '/c');
    assert.ok(merged.startsWith(`# BEGIN sparkbook (inventory ${INV})\n`));
    assert.ok(merged.endsWith(`# END sparkbook (inventory ${INV})\n\n${USER_CONFIG}`));
  });

  it('is idempotent: merging the same section twice gives the same bytes', () => {
    const once = mergeSection(USER_CONFIG, INV, section(22), '/c');
    assert.equal(mergeSection(once, INV, section(22), '/c'), once);
  });

  it('replaces the inventory\'s section where it is (a port moved), keeping the bytes before and after it', () => {
    const before = 'Host a\n  User x\r\n';
    const after = '\nHost b\n  Port 9';
    const old = `${before}${section(22)}${after}`;
    const merged = mergeSection(old, INV, section(2222), '/c');
    assert.equal(merged, `${before}${section(2222)}${after}`);
    assert.match(merged, /^ {2}Port 2222$/m);
  });

  it('leaves another inventory\'s section alone', () => {
    const other = renderSection('/other/inv.ini', [{ alias: 'gpu-9', identityFiles: [] }]);
    const merged = mergeSection(`${other}\n${USER_CONFIG}`, INV, section(22), '/c');
    assert.ok(merged.endsWith(`${other}\n${USER_CONFIG}`));
    assert.equal(findSections(merged, '/c').length, 2);
  });

  it('writes a file that had nothing as just the section', () => {
    assert.equal(mergeSection('', INV, section(22), '/c'), section(22));
  });

  it('refuses a BEGIN without an END, naming its line, whatever the inventory', () => {
    const broken = `${USER_CONFIG}# BEGIN sparkbook (inventory /x)\nHost z\n`;
    assert.throws(() => mergeSection(broken, INV, section(22), '/c'), (e: unknown) => e instanceof InputError && e.kind === 'ssh-config' && e.where?.line === 9 && /at line 9 has no '# END sparkbook'/.test(e.message));
  });

  it('refuses an END without a BEGIN, an END naming another inventory, and a BEGIN inside a section', () => {
    assert.throws(() => findSections(`# END sparkbook (inventory ${INV})\n`, '/c'), /at line 1 without a '# BEGIN sparkbook'/);
    assert.throws(() => findSections(`# BEGIN sparkbook (inventory /a)\n# END sparkbook (inventory /b)\n`, '/c'), /at line 2 names inventory \/b, but the BEGIN at line 1 names \/a/);
    assert.throws(() => findSections(`# BEGIN sparkbook (inventory /a)\n# BEGIN sparkbook (inventory /b)\n# END sparkbook (inventory /b)\n`, '/c'), /at line 1 has no '# END sparkbook' before the next BEGIN \(line 2\)/);
  });

  it('resolves without the inventory\'s own old section, so a stale block cannot feed itself back', () => {
    const text = `${section(2222)}\n${USER_CONFIG}`;
    assert.equal(withoutSection(text, INV, '/c'), `\n${USER_CONFIG}`);
    assert.equal(withoutSection(text, '/other', '/c'), text);
  });
});
