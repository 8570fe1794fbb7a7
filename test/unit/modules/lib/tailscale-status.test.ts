// Tests modules/lib/tailscale-status.ts: the probe run under /bin/sh against a stand-in tailscale CLI prints no key material, and its parser is total.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREFS_FILTER, TAILSCALE_NOT_INSTALLED, parsePrefsLines, parseTailscaleProbe, tailscaleProbeScript } from '../../../../modules/lib/tailscale-status.js';
import { FIXTURES } from '../fixtures.js';

const recorded = (name: string): string => readFileSync(join(FIXTURES, 'tailscale', name), 'utf8');
/** `tailscale debug prefs` prints Go's indented JSON: nested objects, arrays one item a line. */
const PREFS_INDENTED = JSON.stringify({ ...(JSON.parse(recorded('prefs-running.json')) as object), AdvertiseTags: ['tag:dgx-spark', 'tag:lab'] }, null, 2);

function awk(input: string): string {
  const r = spawnSync('awk', [PREFS_FILTER], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('PREFS_FILTER', () => {
  it('lets through only the compared keys of recorded prefs, never a private key', () => {
    for (const prefs of [recorded('prefs-running.json'), PREFS_INDENTED]) {
      const out = awk(prefs);
      assert.doesNotMatch(out, /privkey|PrivateNodeKey|NodeID|UserProfile/);
      const keys = [...out.matchAll(/^\s*"(\w+)":/gm)].map((m) => m[1]);
      assert.deepEqual(keys, ['ControlURL', 'RouteAll', 'RunSSH', 'AdvertiseTags', 'Hostname']);
    }
  });

  it('keeps a tag list that spans lines whole, so the parser reads every tag', () => {
    const prefs = parsePrefsLines(awk(PREFS_INDENTED).split('\n'));
    assert.deepEqual(prefs, { hostname: 'spark-01', advertiseTags: ['tag:dgx-spark', 'tag:lab'], acceptRoutes: false, ssh: false, controlUrl: 'https://controlplane.tailscale.com' });
  });
});

describe('tailscaleProbeScript', () => {
  let bin: string;
  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'sparkbook-ts-'));
    writeFileSync(join(bin, 'status.json'), recorded('status-running.json'));
    writeFileSync(join(bin, 'prefs.json'), PREFS_INDENTED);
    writeFileSync(join(bin, 'tailscale'), `#!/bin/sh\ncase "$1" in status) cat "${bin}/status.json" ;; debug) cat "${bin}/prefs.json" ;; *) exit 1 ;; esac\n`);
    chmodSync(join(bin, 'tailscale'), 0o755);
  });
  afterEach(() => rmSync(bin, { recursive: true, force: true }));

  const probe = (path: string): string => {
    const r = spawnSync('/bin/sh', ['-s'], { input: tailscaleProbeScript().raw(), encoding: 'utf8', env: { PATH: path } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };

  it('reads a running node end to end, and its output carries no private key', () => {
    const out = probe(`${bin}:/usr/bin:/bin`);
    assert.doesNotMatch(out, /privkey:/);
    const o = parseTailscaleProbe(out);
    assert.deepEqual([o.installed, o.backendState, o.hostName, o.tags, o.online], [true, 'Running', 'spark-01', ['tag:dgx-spark'], true]);
    assert.deepEqual(o.prefs?.advertiseTags, ['tag:dgx-spark', 'tag:lab']);
  });

  it('reads a host without tailscale as not installed', () => {
    assert.deepEqual(parseTailscaleProbe(probe('/usr/bin:/bin')), TAILSCALE_NOT_INSTALLED);
  });
});

describe('parseTailscaleProbe', () => {
  const out = (status: string, prefs?: string): string =>
    ['@section ts.installed', 'yes', '@end', '@section ts.status', status, '@end', ...(prefs === undefined ? [] : ['@section ts.prefs', prefs, '@end'])].join('\n');

  it('reads a node that needs login from recorded status, with no prefs', () => {
    const o = parseTailscaleProbe(out(recorded('status-needs-login.json')));
    assert.equal(o.backendState, 'NeedsLogin');
    assert.equal(o.prefs, null);
  });

  it('takes JSON that is not an object, or has no Self, as nothing known', () => {
    for (const status of ['[1,2]', 'null', '"Running"', '{"BackendState": 7}', '{"BackendState":"Running","Self":null}']) {
      const o = parseTailscaleProbe(out(status));
      assert.equal(o.installed, true);
      assert.deepEqual([o.hostName, o.tags, o.online], [null, [], null], status);
    }
    assert.equal(parseTailscaleProbe(out('{"BackendState":"Running","Self":null}')).backendState, 'Running');
  });

  it('keeps only string tags, and reads AdvertiseTags null as no tags', () => {
    assert.deepEqual(parseTailscaleProbe(out('{"BackendState":"Running","Self":{"Tags":["tag:a",7,null,"tag:b"]}}')).tags, ['tag:a', 'tag:b']);
    assert.deepEqual(parsePrefsLines(['  "AdvertiseTags": null,'])?.advertiseTags, []);
  });

  it('reads escaped quotes in a host name, and non-boolean flags as unknown', () => {
    const prefs = parsePrefsLines(['  "Hostname": "a\\"b",', '  "RouteAll": "yes",', '  "RunSSH": null,']);
    assert.deepEqual([prefs?.hostname, prefs?.acceptRoutes, prefs?.ssh, prefs?.advertiseTags], ['a"b', null, null, null]);
    assert.equal(parsePrefsLines(['', '  ']), null, 'blank prefs: none');
  });
});
