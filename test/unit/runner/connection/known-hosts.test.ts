// known_hosts parsing and host-key decisions: plain, comma lists, [host]:port, hashed, @revoked, changed, appends.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendKnownHost,
  checkHostKey,
  fingerprint,
  globMatch,
  hashedHostField,
  keyTypeOf,
  knownHostLine,
  knownHostName,
  loadKnownHosts,
  matchPatternList,
  parseKnownHosts,
} from '../../../../runner/connection/known-hosts.js';

const FIXTURES = join(process.cwd(), 'test/fixtures/connection');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const blob = (pubFile: string): Buffer => Buffer.from(fixture(pubFile).trim().split(/\s+/)[1] as string, 'base64');

const ed25519 = blob('ed25519.pub');
const ecdsa = blob('ecdsa.pub');
const other = blob('other.pub');
const revoked = blob('revoked.pub');
const corpus = parseKnownHosts(fixture('known_hosts'), 'known_hosts');

describe('known_hosts', () => {
  describe('parsing', () => {
    it('keeps host entries, @revoked and @cert-authority lines and skips comments, blanks and bad lines with notes', () => {
      const lines = corpus.entries.map((e) => e.line);
      assert.deepEqual(lines, [2, 3, 4, 7, 8, 12]);
      assert.deepEqual(
        corpus.entries.map((e) => e.marker),
        [null, null, null, 'revoked', 'cert-authority', null],
      );
      assert.equal(corpus.notes.length, 4);
      assert.ok(corpus.notes.some((n) => n.startsWith('known_hosts:8:') && n.includes('@cert-authority is not supported')));
      assert.ok(corpus.notes.some((n) => n.startsWith('known_hosts:9:') && n.includes('does not decode')));
      assert.ok(corpus.notes.some((n) => n.startsWith('known_hosts:10:') && n.includes('not a known_hosts entry')));
      assert.ok(corpus.notes.some((n) => n.startsWith('known_hosts:11:') && n.includes('unknown marker @bogus')));
    });

    it('reads a CRLF line like any other', () => {
      assert.equal(checkHostKey(corpus, ['spark-06'], ed25519).status, 'known');
    });

    it('reads the key type from the key blob and prints fingerprints as ssh-keygen -l does', () => {
      assert.equal(keyTypeOf(ed25519), 'ssh-ed25519');
      assert.equal(keyTypeOf(ecdsa), 'ecdsa-sha2-nistp256');
      assert.equal(fingerprint(ed25519), fixture('ed25519.fingerprint').trim());
      assert.equal(fingerprint(ecdsa), fixture('ecdsa.fingerprint').trim());
    });
  });

  describe('names and patterns', () => {
    it('looks hosts up as `host` on port 22 and `[host]:port` elsewhere, lower-cased', () => {
      assert.equal(knownHostName('Spark-01', 22), 'spark-01');
      assert.equal(knownHostName('10.0.0.5', 2222), '[10.0.0.5]:2222');
    });

    it('matches globs with * and ? case-insensitively, and a negated pattern vetoes the list', () => {
      assert.ok(globMatch('*.lab.example', 'a.LAB.example'));
      assert.ok(globMatch('spark-0?', 'spark-07'));
      assert.ok(!globMatch('spark-0?', 'spark-10'));
      assert.ok(globMatch('a*b*c', 'aXXbYYbZc'));
      assert.ok(!globMatch('a*b*c', 'aXXbYY'));
      assert.ok(matchPatternList(['*.lab.example', '!bad.lab.example'], 'good.lab.example'));
      assert.ok(!matchPatternList(['*.lab.example', '!bad.lab.example'], 'bad.lab.example'));
      assert.ok(!matchPatternList(['!bad.lab.example'], 'other'));
    });
  });

  describe('decisions', () => {
    it('knows a key listed for any name of a comma list', () => {
      assert.equal(checkHostKey(corpus, ['spark-01'], ed25519).status, 'known');
      assert.equal(checkHostKey(corpus, ['10.0.0.11'], ed25519).status, 'known');
    });

    it('matches [host]:port entries only on that port', () => {
      assert.equal(checkHostKey(corpus, [knownHostName('spark-02', 2222)], ecdsa).status, 'known');
      assert.equal(checkHostKey(corpus, [knownHostName('spark-02', 22)], ecdsa).status, 'unknown');
      assert.equal(checkHostKey(corpus, [knownHostName('spark-02', 2200)], ecdsa).status, 'unknown');
    });

    it('calls any other key for a listed host a change, naming the expected entries', () => {
      const d = checkHostKey(corpus, ['spark-01'], other);
      assert.equal(d.status, 'changed');
      assert.ok(d.status === 'changed' && d.expected.length === 1 && d.expected[0]?.line === 2);
      // A key of another type is a change too: the host used to present the listed one.
      assert.equal(checkHostKey(corpus, [knownHostName('spark-02', 2222)], ed25519).status, 'changed');
    });

    it('uses wildcard entries and honours their negation', () => {
      assert.equal(checkHostKey(corpus, ['node.lab.example'], other).status, 'known');
      assert.equal(checkHostKey(corpus, ['bad.lab.example'], other).status, 'unknown');
    });

    it('refuses a @revoked key whatever else is listed', () => {
      const withRevokedListed = parseKnownHosts(`${fixture('known_hosts')}\nspark-09 ${knownHostLine('x', revoked).split(' ').slice(1).join(' ')}\n`, 'kh');
      assert.equal(checkHostKey(withRevokedListed, ['spark-09'], revoked).status, 'revoked');
      assert.equal(checkHostKey(corpus, ['anything'], revoked).status, 'revoked');
    });

    it('never trusts a key through a @cert-authority line', () => {
      assert.equal(checkHostKey(corpus, ['db.corp.example'], other).status, 'unknown');
    });

    it('says unknown for a host with no entry at all', () => {
      assert.equal(checkHostKey(corpus, ['spark-99', '10.9.9.9'], ed25519).status, 'unknown');
    });
  });

  describe('hashed entries', () => {
    it('matches entries hashed by ssh-keygen -H (|1|salt|hash, HMAC-SHA1), including [host]:port', () => {
      const hashed = parseKnownHosts(fixture('known_hosts.hashed'), 'known_hosts.hashed');
      assert.equal(hashed.entries.length, 3);
      assert.equal(checkHostKey(hashed, ['spark-01'], ed25519).status, 'known');
      assert.equal(checkHostKey(hashed, ['[spark-02]:2222'], ed25519).status, 'known');
      assert.equal(checkHostKey(hashed, ['10.0.0.11'], ed25519).status, 'known');
      assert.equal(checkHostKey(hashed, ['spark-02'], ed25519).status, 'unknown');
      assert.equal(checkHostKey(hashed, ['spark-01'], other).status, 'changed');
    });

    it('matches an entry hashed here with a random salt, and nothing else', () => {
      const salt = randomBytes(20);
      const field = hashedHostField('[10.1.2.3]:2200', salt);
      assert.match(field, /^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}=$/);
      const kh = parseKnownHosts(`${field} ${knownHostLine('x', ecdsa).split(' ').slice(1).join(' ')}\n`, 'kh');
      assert.equal(checkHostKey(kh, ['[10.1.2.3]:2200'], ecdsa).status, 'known');
      assert.equal(checkHostKey(kh, ['10.1.2.3'], ecdsa).status, 'unknown');
    });

    it('skips a hashed field whose salt or hash has the wrong length', () => {
      const kh = parseKnownHosts(`|1|c2hvcnQ=|c2hvcnQ= ${knownHostLine('x', ed25519).split(' ').slice(1).join(' ')}\n`, 'kh');
      assert.equal(kh.entries.length, 0);
      assert.match(kh.notes[0] ?? '', /malformed hashed host name/);
    });
  });

  describe('files', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'sparkbook-kh-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('treats a missing file as empty and fails closed on an unreadable one', async () => {
      assert.deepEqual((await loadKnownHosts([join(dir, 'missing')])).entries, []);
      await assert.rejects(loadKnownHosts([dir]), /EISDIR/);
    });

    it('appends one line per new key, creating the file 0600 (and its directory), never twice', async () => {
      const file = join(dir, 'sub', 'known_hosts');
      await Promise.all([appendKnownHost(file, '[10.0.0.5]:2222', ed25519), appendKnownHost(file, '[10.0.0.5]:2222', ed25519), appendKnownHost(file, 'spark-01', ecdsa)]);
      assert.equal(readFileSync(file, 'utf8'), `${knownHostLine('[10.0.0.5]:2222', ed25519)}\n${knownHostLine('spark-01', ecdsa)}\n`);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'sub')).mode & 0o777, 0o700);
    });

    it('starts a new line when the file does not end with one, and keeps what was there', async () => {
      const file = join(dir, 'known_hosts');
      writeFileSync(file, '# mine, no newline at the end');
      await appendKnownHost(file, 'spark-01', ed25519);
      assert.equal(readFileSync(file, 'utf8'), `# mine, no newline at the end\n${knownHostLine('spark-01', ed25519)}\n`);
    });
  });
});
