// Tests of the facts script itself: valid POSIX sh for dash, no bashisms, and a real run under
// /bin/sh on this machine that completes, reads nothing from stdin and marks missing tools.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Facts } from '../../../../runner/facts/facts.js';
import { parseFacts } from '../../../../runner/facts/parse-facts.js';
import { END_SECTION, factsScript } from '../../../../runner/facts/script.js';
import { splitSections } from '../../../../runner/facts/sections.js';
import { factsFixturePath } from './fixtures.js';

const script = factsScript();

/** Runs the facts script here; `netnsSetup` runs it in a fresh network namespace after that shell text. */
function runLocally(env?: NodeJS.ProcessEnv, netnsSetup?: string): { status: number | null; stdout: string; ms: number } {
  const started = Date.now();
  const [cmd, args] = netnsSetup === undefined ? ['/bin/sh', ['-s']] as const : ['unshare', ['-n', '/bin/sh', '-c', `${netnsSetup}\nexec /bin/sh -s`]] as const;
  const r = spawnSync(cmd, args, { input: script.raw(), encoding: 'utf8', timeout: 60_000, ...(env ? { env } : {}) });
  return { status: r.status, stdout: r.stdout, ms: Date.now() - started };
}

function hasTool(name: string): boolean {
  const path = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  return spawnSync('/bin/sh', ['-c', `PATH=${path}; command -v "$1"`, 'sh', name]).status === 0;
}

describe('factsScript', () => {
  it('is valid POSIX sh by `sh -n`', () => {
    const r = spawnSync('/bin/sh', ['-n'], { input: script.raw(), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('is valid for dash (`dash -n`; `sh -n` where dash is not installed)', () => {
    const dash = ['/bin/dash', '/usr/bin/dash'].find((p) => existsSync(p)) ?? '/bin/sh';
    const r = spawnSync(dash, ['-n'], { input: script.raw(), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('uses none of the bash-only constructs dash rejects or reads differently', () => {
    const text = script.raw();
    for (const bashism of ["$'", '[[ ', '<<<', 'function ', 'local ', '==', 'echo -e', 'source ', '&>', '${!', 'pipefail']) {
      assert.ok(!text.includes(bashism), `the facts script contains ${bashism}`);
    }
  });

  it('holds no secret: its printable and raw forms are the same text', () => {
    assert.equal(String(script), script.raw());
  });

  describe('run under /bin/sh -s on this machine', () => {
    let run: ReturnType<typeof runLocally>;
    let sections: ReturnType<typeof splitSections>;
    before(() => {
      run = runLocally();
      sections = splitSections(run.stdout);
    });

    it('exits 0, reaches its last section and takes under 10 s', () => {
      assert.equal(run.status, 0);
      assert.equal(sections.complete, true);
      assert.ok(sections.byName.has(END_SECTION));
      assert.ok(run.ms < 10_000, `took ${run.ms} ms`);
    });

    it('marks exactly the tools this machine lacks as missing', () => {
      for (const [section, tool] of [['ufw-status', 'ufw'], ['tailscale-version', 'tailscale'], ['wg-show', 'wg'], ['nvidia-smi', 'nvidia-smi'], ['dpkg-arch', 'dpkg'], ['sshd-t', 'sshd']] as const) {
        assert.equal(sections.byName.get(section)?.missing, !hasTool(tool), `${section} vs ${tool}`);
      }
    });

    it('prints the same sections as the recorded DGX Spark fixture (a host whose ip speaks JSON), in group order', () => {
      const recorded = splitSections(readFileSync(factsFixturePath('script/ubuntu-2404-dgx-spark.txt'), 'utf8'));
      // Sections are read by name; their order follows the fact groups (groups.ts).
      assert.deepEqual([...sections.byName.keys()].sort(), [...recorded.byName.keys()].sort());
    });

    it('still completes with an empty environment (no PATH, no locale)', () => {
      const bare = runLocally({});
      assert.equal(bare.status, 0);
      const s = splitSections(bare.stdout);
      assert.equal(s.complete, true);
      assert.equal(s.byName.get('uname-m')?.rc, 0);
    });
  });

  describe('run with stand-ins for the tools this machine lacks', () => {
    // Each stand-in reads all of stdin, as a careless command would: were the script's stdin
    // not closed for it, it would swallow the rest of the script and the end mark would be lost.
    const stubs: Record<string, string> = {
      ufw: 'cat >/dev/null; printf "Status: active\\n"',
      'nvidia-smi': 'cat >/dev/null; printf "NVIDIA GB10\\n"',
      wg: 'cat >/dev/null; printf "wg0\\n"',
      // `status` hangs (the facts script must time it out); its JSON holds a login URL that must not leave the host.
      tailscale: 'cat >/dev/null; if [ "$1" = version ]; then printf "1.76.6\\n  go version: go1.23.1\\n"; else printf "{\\n  \\"BackendState\\": \\"NeedsLogin\\",\\n  \\"AuthURL\\": \\"https://login.tailscale.com/a/5ecre7\\"\\n}\\n"; exec sleep 30; fi',
    };
    const absent = Object.keys(stubs).filter((t) => !hasTool(t));
    let run: ReturnType<typeof runLocally>;
    let facts: Facts;
    before(() => {
      const dir = mkdtempSync(join(tmpdir(), 'sparkbook-facts-'));
      try {
        for (const tool of absent) writeFileSync(join(dir, tool), `#!/bin/sh\n${stubs[tool] ?? ''}\n`, { mode: 0o755 });
        run = runLocally({ ...process.env, PATH: `${dir}:${process.env['PATH'] ?? '/usr/bin:/bin'}` });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      facts = parseFacts(run.stdout, { transport: 'local', address: 'localhost', port: 0, user: 'root' });
    });

    it('finishes the whole script although every stand-in reads stdin', () => {
      assert.ok(absent.length > 0, 'this machine has all the tools: nothing to stand in for');
      assert.equal(run.status, 0);
      assert.equal(splitSections(run.stdout).complete, true);
    });

    it('parses what the stand-ins print', () => {
      if (absent.includes('nvidia-smi')) assert.deepEqual([facts.gpus, facts.isDgxSpark], [['NVIDIA GB10'], true]);
      if (absent.includes('wg')) assert.deepEqual(facts.wireguard?.interfaces, ['wg0']);
      if (absent.includes('tailscale')) assert.equal(facts.tailscale?.version, '1.76.6');
    });

    it('times out a hanging command and still carries only the BackendState, never the login URL', () => {
      assert.ok(run.ms < 15_000, `took ${run.ms} ms`);
      assert.ok(!run.stdout.includes('5ecre7'));
      if (absent.includes('tailscale')) assert.equal(facts.tailscale?.backendState, 'NeedsLogin');
    });
  });

  // In a fresh network namespace (root, as the lab needs anyway) no firewall is loaded but the
  // one the test sets up; the ufw stand-in records that it ran. Where iptables is not installed,
  // a stand-in answers for it (exit 1: no such chain; exit 0: loaded).
  describe('ufw, asked only when its chains are loaded', () => {
    function runWithUfwStandIn(chainLoaded: boolean): { facts: Facts; ufwRan: boolean } {
      const dir = mkdtempSync(join(tmpdir(), 'sparkbook-facts-'));
      try {
        const ran = join(dir, 'ufw-ran');
        writeFileSync(join(dir, 'ufw'), `#!/bin/sh\ntouch '${ran}'; printf "Status: active\\n"\n`, { mode: 0o755 });
        if (!hasTool('iptables')) writeFileSync(join(dir, 'iptables'), `#!/bin/sh\nexit ${chainLoaded ? 0 : 1}\n`, { mode: 0o755 });
        const run = runLocally({ ...process.env, PATH: `${dir}:${process.env['PATH'] ?? '/usr/bin:/bin'}` }, chainLoaded && hasTool('iptables') ? 'iptables -N ufw-user-input || exit 97' : '');
        assert.equal(run.status, 0, 'the facts script (or the namespace set-up) failed');
        return { facts: parseFacts(run.stdout, { transport: 'local', address: 'localhost', port: 0, user: 'root' }), ufwRan: existsSync(ran) };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    it('reports ufw inactive from iptables alone (no ufw-user-input chain), never starting ufw (Python)', () => {
      const r = runWithUfwStandIn(false);
      assert.equal(r.facts.ufw?.active, false);
      assert.equal(r.ufwRan, false, 'ufw was started although its chains are not loaded');
    });

    it('asks ufw itself when its chain is loaded', () => {
      const r = runWithUfwStandIn(true);
      assert.equal(r.ufwRan, true);
      assert.equal(r.facts.ufw?.active, true);
    });
  });
});
