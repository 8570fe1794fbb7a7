// Parameter constraints are data in each module's schema, so `sparkbook validate`, the editor's
// schema and the executor agree on them. One row per constraint: `validate` refuses the bad task
// with exit code 2 and one located message and accepts the good counterpart, and the editor's
// schema and the executor's check refuse and accept the same two. Then every schema example is
// checked the three ways a task is: by the loader, the editor's schema and the executor.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { modules } from '../../../modules/index.js';
import { schemaText } from '../../../runner/commands/schema.js';
import { prepareParams } from '../../../runner/executor/params.js';
import { runCli, type CliResult } from '../../support/run-cli.js';

interface Row {
  readonly module: string;
  /** The constraint, as the test names it. */
  readonly rule: string;
  readonly bad: Record<string, unknown>;
  readonly good: Record<string, unknown>;
  /** A fragment of the one message `validate` prints for `bad`. */
  readonly message: string;
}

const KEY = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const peer = (extra: Record<string, unknown>): Record<string, unknown> => ({ address: '10.8.0.1/24', peers: [{ public_key: KEY, allowed_ips: ['10.8.0.2/32'], ...extra }] });

const ROWS: readonly Row[] = [
  // apt
  { module: 'apt', rule: 'needs name, update_cache or cache_valid_time', bad: { state: 'latest' }, good: { name: 'curl', state: 'latest' }, message: "module 'apt' needs at least one of: 'name', 'update_cache', 'cache_valid_time'" },
  { module: 'apt', rule: 'a package name is a package name', bad: { name: 'curl;reboot' }, good: { name: 'curl=7.88*' }, message: "'name' must match" },
  // assert
  { module: 'assert', rule: 'that is not an empty list', bad: { that: [] }, good: { that: ['1 == 1'] }, message: "'that' must not be an empty list" },
  // command
  { module: 'command', rule: 'needs argv or cmd', bad: { chdir: '/tmp' }, good: { chdir: '/tmp', argv: ['true'] }, message: "module 'command' needs exactly one of: 'argv', 'cmd', 'cmdline'" },
  { module: 'command', rule: 'takes only one of argv and cmd', bad: { argv: ['true'], cmd: 'true' }, good: { cmd: 'true' }, message: "module 'command' takes only one of: 'argv', 'cmd', 'cmdline'" },
  { module: 'command', rule: 'a cmdline holds a command', bad: { cmdline: '  ' }, good: { cmdline: 'true' }, message: "'cmdline' must hold a command" },
  // fail, shell, stat
  { module: 'fail', rule: 'msg is a string', bad: { msg: ['a'] }, good: { msg: 'a' }, message: "'msg' must be string" },
  { module: 'shell', rule: 'needs cmd', bad: { chdir: '/tmp' }, good: { chdir: '/tmp', cmd: 'true' }, message: "module 'shell' is missing required parameter 'cmd'" },
  { module: 'shell', rule: 'an executable never reads as an option', bad: { cmd: 'true', executable: '-x' }, good: { cmd: 'true', executable: '/bin/bash' }, message: "'executable' must be a shell program, not an option" },
  { module: 'stat', rule: 'needs path', bad: { get_checksum: false }, good: { path: '/x' }, message: "module 'stat' is missing required parameter 'path'" },
  { module: 'stat', rule: 'a known checksum algorithm', bad: { path: '/x', checksum_algorithm: 'md5' }, good: { path: '/x', checksum_algorithm: 'sha256' }, message: "'checksum_algorithm' must be one of" },
  // copy, template
  { module: 'copy', rule: 'src and content are exclusive', bad: { src: 'a', content: 'b', dest: '/x' }, good: { content: 'b', dest: '/x' }, message: "module 'copy' takes only one of: 'src', 'content'" },
  { module: 'copy', rule: 'remote_src is refused', bad: { content: 'b', dest: '/x', remote_src: true }, good: { content: 'b', dest: '/x', remote_src: false }, message: "module 'copy': remote_src: true is not supported" },
  { module: 'template', rule: 'validate names the file with %s', bad: { src: '/etc/hostname', dest: '/x', validate: 'visudo -c' }, good: { src: '/etc/hostname', dest: '/x', validate: 'visudo -cf %s' }, message: "'validate' must contain %s" },
  // debug
  { module: 'debug', rule: 'msg and var are exclusive', bad: { msg: 'a', var: 'b' }, good: { msg: 'a' }, message: "module 'debug' cannot have 'msg' and 'var' together" },
  // file
  { module: 'file', rule: 'state link needs src', bad: { path: '/x', state: 'link' }, good: { path: '/x', state: 'link', src: '/y' }, message: `module 'file' needs 'src' when 'state' is "link"` },
  { module: 'file', rule: 'content needs state file', bad: { path: '/x', state: 'touch', content: 'a' }, good: { path: '/x', content: 'a' }, message: `'state' must be "file" when 'content' is given, got 'touch'` },
  { module: 'file', rule: 'src needs state link', bad: { path: '/x', src: '/y' }, good: { path: '/x', src: '/y', state: 'link' }, message: "module 'file': 'src' is only for state: link" },
  { module: 'file', rule: 'state absent never removes /', bad: { path: '//', state: 'absent' }, good: { path: '/tmp/x', state: 'absent' }, message: "module 'file': refusing to remove the root directory" },
  { module: 'file', rule: 'a mode string is octal or symbolic', bad: { path: '/x', mode: 'rwx' }, good: { path: '/x', mode: 'u=rwx,go=' }, message: "'mode' must be an octal mode ('0644', '0o644') or symbolic ('u=rw,g=r,o='), got 'rwx'" },
  { module: 'file', rule: 'an unquoted mode has at most four digits', bad: { path: '/x', mode: 17777 }, good: { path: '/x', mode: 644 }, message: "'mode' must be <= 7777, got 17777" },
  { module: 'file', rule: 'an owner never reads as an option', bad: { path: '/x', owner: '-R' }, good: { path: '/x', owner: '1000' }, message: "'owner' must match" },
  // line
  { module: 'line', rule: 'state present needs line', bad: { path: '/x', regexp: '^a' }, good: { path: '/x', regexp: '^a', line: 'a' }, message: `module 'line' needs at least one of: 'line', 'value' when 'state' is "present" (the default)` },
  { module: 'line', rule: 'state absent needs line or regexp', bad: { path: '/x', state: 'absent' }, good: { path: '/x', state: 'absent', regexp: '^a' }, message: `module 'line' needs at least one of: 'line', 'value', 'regexp', 'regex', 'search_string' when 'state' is "absent"` },
  { module: 'line', rule: 'backrefs needs regexp', bad: { path: '/x', line: 'a', backrefs: true }, good: { path: '/x', line: 'a', regexp: '(a)', backrefs: true }, message: `module 'line' needs at least one of: 'regexp', 'regex' when 'backrefs' is true` },
  { module: 'line', rule: 'regexp and search_string are exclusive', bad: { path: '/x', line: 'a', regexp: 'a', search_string: 'a' }, good: { path: '/x', line: 'a', search_string: 'a' }, message: "module 'line' cannot have 'regexp' and 'search_string' together" },
  { module: 'line', rule: 'one name of the file', bad: { path: '/x', dest: '/y', line: 'a' }, good: { dest: '/y', line: 'a' }, message: "module 'line' takes only one of: 'path', 'dest', 'destfile', 'name'" },
  { module: 'line', rule: 'needs the file under one of its names', bad: { line: 'a' }, good: { name: '/x', line: 'a' }, message: "module 'line' needs exactly one of: 'path', 'dest', 'destfile', 'name'" },
  { module: 'line', rule: 'line and value are one param', bad: { path: '/x', line: 'a', value: 'a' }, good: { path: '/x', value: 'a' }, message: "module 'line' cannot have 'line' and 'value' together" },
  { module: 'line', rule: 'regexp and regex are one param', bad: { path: '/x', line: 'a', regexp: 'a', regex: 'a' }, good: { path: '/x', line: 'a', regex: 'a' }, message: "module 'line' cannot have 'regexp' and 'regex' together" },
  { module: 'line', rule: 'insertafter and insertbefore are exclusive', bad: { path: '/x', line: 'a', insertafter: 'x', insertbefore: 'y' }, good: { path: '/x', line: 'a', insertbefore: 'BOF' }, message: "module 'line' cannot have 'insertafter' and 'insertbefore' together" },
  { module: 'line', rule: 'line is one line', bad: { path: '/x', line: 'a\nb' }, good: { path: '/x', line: 'a b' }, message: "'line' must be one line (it contains a newline), got 'a\\nb'" },
  { module: 'line', rule: 'a mode string is octal or symbolic', bad: { path: '/x', line: 'a', mode: '0999' }, good: { path: '/x', line: 'a', mode: '0o644' }, message: "'mode' must be an octal mode" },
  // service
  { module: 'service', rule: 'needs state, enabled, masked or daemon_reload', bad: { name: 'ssh' }, good: { name: 'ssh', enabled: true }, message: "module 'service' needs at least one of: 'state', 'enabled', 'masked', 'daemon_reload'" },
  { module: 'service', rule: 'scope is system', bad: { name: 'ssh', state: 'started', scope: 'user' }, good: { name: 'ssh', state: 'started', scope: 'system' }, message: "'scope' must be" },
  // blockinfile, authorized_key
  { module: 'blockinfile', rule: 'insertafter and insertbefore are exclusive', bad: { path: '/x', block: 'a', insertafter: 'x', insertbefore: 'y' }, good: { path: '/x', block: 'a', insertbefore: 'BOF' }, message: "module 'blockinfile' cannot have 'insertafter' and 'insertbefore' together" },
  { module: 'blockinfile', rule: 'a marker is one line', bad: { path: '/x', block: 'a', marker: '# {mark}\nx' }, good: { path: '/x', block: 'a', marker: '# {mark} x' }, message: "'marker' must be one line" },
  { module: 'authorized_key', rule: 'needs user and key', bad: { user: 'nvidia' }, good: { user: 'nvidia', key: 'ssh-ed25519 AAAA x' }, message: "module 'authorized_key' is missing required parameter 'key'" },
  { module: 'authorized_key', rule: 'key_options are one line', bad: { user: 'nvidia', key: 'ssh-ed25519 AAAA x', key_options: 'a\nb' }, good: { user: 'nvidia', key: 'ssh-ed25519 AAAA x', key_options: 'no-pty' }, message: "'key_options' must be one line" },
  // user, group, hostname, timezone
  { module: 'user', rule: 'a name never reads as an option', bad: { name: '-o' }, good: { name: 'nvidia' }, message: "'name' must match" },
  { module: 'user', rule: 'a password hash is one line', bad: { name: 'nvidia', password: 'a\nb' }, good: { name: 'nvidia', password: '$6$x$y' }, message: "'password' must match" },
  { module: 'group', rule: 'a name never reads as an option', bad: { name: '--help' }, good: { name: 'docker' }, message: "'name' must match" },
  { module: 'hostname', rule: 'a host name is a host name', bad: { name: 'spark_01' }, good: { name: 'spark-01' }, message: "'name' must be a host name" },
  { module: 'timezone', rule: 'a zone is a tz database name', bad: { name: '../etc/passwd' }, good: { name: 'Etc/UTC' }, message: "'name' must be a tz database name" },
  // sshd_config
  { module: 'sshd_config', rule: 'settings cannot set Port', bad: { settings: { Port: 2222 } }, good: { port: 2222 }, message: "'Port' in 'settings' must be an sshd_config keyword other than Port (use the port parameter), Match or Include" },
  { module: 'sshd_config', rule: 'settings cannot set Match or Include, in any case', bad: { settings: { match: 'User x' } }, good: { settings: { MaxAuthTries: 3 } }, message: "'match' in 'settings' must be an sshd_config keyword" },
  { module: 'sshd_config', rule: 'settings keys are keywords', bad: { settings: { 'Max-Auth-Tries': 3 } }, good: { settings: { MaxAuthTries: 3 } }, message: "'Max-Auth-Tries' in 'settings' must be an sshd_config keyword" },
  { module: 'sshd_config', rule: 'settings repeat no named parameter (password_authentication)', bad: { password_authentication: 'no', settings: { passwordauthentication: 'yes' } }, good: { password_authentication: 'no', settings: { KbdInteractiveAuthentication: 'no' } }, message: "'passwordauthentication' is not allowed in 'settings' when 'password_authentication' is given" },
  { module: 'sshd_config', rule: 'settings repeat no named parameter (permit_root_login)', bad: { permit_root_login: 'no', settings: { PermitRootLogin: 'yes' } }, good: { permit_root_login: 'no' }, message: "'PermitRootLogin' is not allowed in 'settings' when 'permit_root_login' is given" },
  { module: 'sshd_config', rule: 'a settings value is one line', bad: { settings: { Banner: 'none\nPermitRootLogin yes' } }, good: { settings: { Banner: 'none' } }, message: "'settings.Banner' must be one non-empty line" },
  { module: 'sshd_config', rule: 'a settings value is not empty', bad: { settings: { Banner: ' ' } }, good: { settings: { X11Forwarding: false } }, message: "'settings.Banner' must be one non-empty line, got ' '" },
  // sysctl
  { module: 'sysctl', rule: 'state present needs value', bad: { name: 'vm.swappiness' }, good: { name: 'vm.swappiness', state: 'absent' }, message: `module 'sysctl' needs 'value' when 'state' is "present" (the default)` },
  { module: 'sysctl', rule: 'value is not empty', bad: { name: 'vm.swappiness', value: '  ' }, good: { name: 'vm.swappiness', value: 10 }, message: "'value' must not be empty, got '  '" },
  { module: 'sysctl', rule: 'name is a kernel key', bad: { name: '-w', value: 1 }, good: { name: 'net.ipv4.ip_forward', value: 1 }, message: "'name' must match" },
  // tailscale
  { module: 'tailscale', rule: 'extra_args never carry a credential', bad: { extra_args: ['--auth-key=tskey-abc'] }, good: { extra_args: ['--shields-up'] }, message: "'extra_args[0]' must be a --flag, and not a credential (the auth key goes in auth_key, never in extra_args)" },
  { module: 'tailscale', rule: 'extra_args are --flags', bad: { extra_args: ['shields-up'] }, good: { extra_args: ['--shields-up'] }, message: "'extra_args[0]' must be a --flag" },
  { module: 'tailscale', rule: 'hostname is a host name', bad: { hostname: 'spark_01' }, good: { hostname: 'spark-01' }, message: "'hostname' must match" },
  { module: 'tailscale', rule: 'tags look like tag:name', bad: { advertise_tags: ['dgx'] }, good: { advertise_tags: ['tag:dgx'] }, message: "'advertise_tags[0]' must match" },
  { module: 'tailscale', rule: 'login_server is an http(s) URL', bad: { login_server: 'ftp://hs' }, good: { login_server: 'https://hs.example' }, message: "'login_server' must match" },
  // ufw
  { module: 'ufw', rule: 'a top-level rule key needs rule', bad: { port: 22, state: 'enabled' }, good: { rule: 'allow', port: 22, state: 'enabled' }, message: "module 'ufw': 'port' needs 'rule' (allow, deny, reject, limit)" },
  { module: 'ufw', rule: 'a port range needs proto', bad: { rule: 'allow', port: '6000:6007' }, good: { rule: 'allow', port: '6000:6007', proto: 'tcp' }, message: "module 'ufw': a port range or list (6000:6007, 80,443) needs proto tcp or udp" },
  { module: 'ufw', rule: 'a port list needs proto tcp or udp, not any', bad: { rule: 'allow', port: '80,443', proto: 'any' }, good: { rule: 'allow', port: '80,443', proto: 'udp' }, message: "module 'ufw': a port range or list (6000:6007, 80,443) needs proto tcp or udp" },
  { module: 'ufw', rule: 'a port range in rules needs proto', bad: { rules: [{ rule: 'allow', port: '6000:6007' }] }, good: { rules: [{ rule: 'allow', port: '6000:6007', proto: 'tcp' }] }, message: "'rules[0]': a port range or list (6000:6007, 80,443) needs proto tcp or udp" },
  { module: 'ufw', rule: 'app and port are exclusive', bad: { rule: 'allow', app: 'OpenSSH', port: 22 }, good: { rule: 'allow', app: 'OpenSSH' }, message: "module 'ufw' cannot have 'app' and 'port' together" },
  { module: 'ufw', rule: 'app and port are exclusive in rules', bad: { rules: [{ rule: 'allow', app: 'OpenSSH', port: 22 }] }, good: { rules: [{ rule: 'allow', port: 22 }] }, message: "'rules[0]' cannot have 'app' and 'port' together" },
  { module: 'ufw', rule: 'rules need rule', bad: { rules: [{ port: 22 }] }, good: { rules: [{ rule: 'deny', port: 22 }] }, message: "'rules[0]' is missing 'rule'" },
  { module: 'ufw', rule: 'ports are 1-65535', bad: { rule: 'allow', port: '1:70000', proto: 'tcp' }, good: { rule: 'allow', port: '1:65535', proto: 'tcp' }, message: "'port' must be a port, a range (6000:6007) or a list (80,443) of ports 1-65535, got '1:70000'" },
  { module: 'ufw', rule: 'from is an address, never a host name', bad: { rule: 'allow', from: 'example.com' }, good: { rule: 'allow', from: '192.168.1.7/24' }, message: "'from' must be any, an IPv4 or IPv6 address, or a CIDR such as 192.168.1.0/24 (ufw takes no host names), got 'example.com'" },
  { module: 'ufw', rule: 'a prefix length fits the address', bad: { rules: [{ rule: 'allow', to: '10.0.0.0/33' }] }, good: { rules: [{ rule: 'allow', to: 'fd00::/64' }] }, message: "'rules[0].to' must be any, an IPv4 or IPv6 address" },
  { module: 'ufw', rule: 'app is a profile name', bad: { rule: 'allow', app: 'Open;SSH' }, good: { rule: 'allow', app: 'Nginx Full' }, message: "'app' must be an application profile name" },
  { module: 'ufw', rule: 'a comment holds no quote', bad: { rule: 'allow', port: 22, comment: "it's" }, good: { rule: 'allow', port: 22, comment: 'ssh' }, message: "'comment' must match" },
  // wireguard
  { module: 'wireguard', rule: 'a peer endpoint is host:port', bad: peer({ endpoint: 'spark-01' }), good: peer({ endpoint: 'spark-01:51820' }), message: "'peers[0].endpoint' must be host:port, or [IPv6]:port, with a port 1-65535, got 'spark-01'" },
  { module: 'wireguard', rule: 'a peer public key is a WireGuard key', bad: { address: '10.8.0.1/24', peers: [{ public_key: 'nope', allowed_ips: ['10.8.0.2/32'] }] }, good: peer({}), message: "'peers[0].public_key' must be a WireGuard public key" },
  { module: 'wireguard', rule: 'a peer has allowed_ips', bad: { address: '10.8.0.1/24', peers: [{ public_key: KEY, allowed_ips: [] }] }, good: peer({}), message: "'peers[0].allowed_ips' must not be an empty list" },
  { module: 'wireguard', rule: 'the interface name is safe', bad: { address: '10.8.0.1/24', interface: 'wg0;reboot' }, good: { address: '10.8.0.1/24', interface: 'wg1' }, message: "'interface' must match" },
];

const TASK_LINE = 3;
const playbook = (module: string, params: unknown): string => `- hosts: all\n  tasks:\n    - ${module}: ${JSON.stringify(params)}\n`;

/** Runs `fn` over `items`, `width` at a time (the CLI is a process per call). */
async function pool<T, R>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

describe('sparkbook validate: parameter constraints as schema data', function () {
  this.timeout(120_000);
  const editor = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(schemaText('playbook')) as object);
  let dir: string;
  let bad: CliResult[] = [];
  let good: CliResult;
  const badFile = (i: number): string => join(dir, `bad-${i}.yml`);
  const goodFile = (i: number): string => join(dir, `good-${i}.yml`);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-constraints-'));
    ROWS.forEach((row, i) => {
      writeFileSync(badFile(i), playbook(row.module, row.bad));
      writeFileSync(goodFile(i), playbook(row.module, row.good));
    });
    // Each bad task in a run of its own, so each exit code is its own; the good ones in one run.
    bad = await pool(ROWS, 3, (_row, i) => runCli(['validate', badFile(i)]));
    good = await runCli(['validate', ...ROWS.map((_row, i) => goodFile(i))]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts every good counterpart', () => {
    assert.equal(good.code, 0, good.stderr);
  });

  ROWS.forEach((row, i) => {
    it(`${row.module}: ${row.rule}`, () => {
      const r = bad[i] as CliResult;
      assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one message for one broken rule, got:\n${r.stderr}`);
      const located = new RegExp(`^${badFile(i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${TASK_LINE}:(\\d+): (.*)$`).exec(lines[0] ?? '');
      assert.ok(located, `not located on the task's line: ${lines[0] ?? ''}`);
      assert.ok(Number(located[1]) > 6, `column ${located[1] ?? ''} is before the module's parameters`);
      assert.ok((located[2] ?? '').includes(row.message), `message ${JSON.stringify(located[2])} lacks ${JSON.stringify(row.message)}`);
      assert.match(good.stdout, new RegExp(`^ok ${goodFile(i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`, 'm'), 'the good counterpart passes');
      // The editor's schema and the executor's check (which fills defaults first) say the same.
      const task = (params: unknown): unknown => [{ hosts: 'all', tasks: [{ [row.module]: params }] }];
      assert.equal(editor(task(row.bad)), false, 'the editor schema accepts the bad task');
      assert.equal(editor(task(row.good)), true, `the editor schema refuses the good task: ${JSON.stringify(editor.errors?.slice(0, 3))}`);
      const m = modules.find((x) => x.name === row.module);
      assert.ok(m);
      assert.ok('error' in prepareParams(m, row.bad), 'the executor accepts the bad params');
      assert.ok('params' in prepareParams(m, row.good), 'the executor refuses the good params');
    });
  });

  it('has a row for every module', () => {
    assert.deepEqual([...new Set(ROWS.map((r) => r.module))].sort(), modules.map((m) => m.name).sort());
  });
});

describe('every module schema example', function () {
  this.timeout(60_000);
  const examples = modules.flatMap((m) => ((m.schema as { examples?: unknown[] }).examples ?? []).map((example) => ({ module: m.name, example })));
  const tasks = examples.map(({ module, example }) => ({ name: `example of ${module}`, [module]: example }));

  it('passes sparkbook validate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparkbook-examples-'));
    try {
      const file = join(dir, 'examples.yml');
      // Examples may name controller files (copy's and template's src): they exist next to the playbook.
      for (const { module, example } of examples) {
        const m = modules.find((x) => x.name === module);
        for (const [param, spec] of Object.entries(m?.controllerFiles ?? {})) {
          const src = (example as Record<string, unknown>)[param];
          if (typeof src !== 'string') continue;
          mkdirSync(join(dir, spec.under), { recursive: true });
          writeFileSync(join(dir, spec.under, src), 'example\n');
        }
      }
      // Examples may read variables (assert's ssh_port); the play defines them.
      writeFileSync(file, JSON.stringify([{ hosts: 'all', vars: { ssh_port: 2222 }, tasks }]));
      const r = await runCli(['validate', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`${tasks.length} task\\(s\\)`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("passes the editor's schema (schema/playbook.schema.json)", () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(schemaText('playbook')) as object);
    assert.ok(validate([{ hosts: 'all', tasks }]), JSON.stringify(validate.errors?.slice(0, 3)));
  });

  it("passes the executor's check after templating", () => {
    for (const { module, example } of examples) {
      const m = modules.find((x) => x.name === module);
      assert.ok(m);
      const prepared = prepareParams(m, example as Record<string, unknown>);
      assert.ok('params' in prepared, `${module} ${JSON.stringify(example)}: ${'error' in prepared ? prepared.error : ''}`);
    }
  });

  it('uses no keyword that ajv would silently ignore (dependentRequired is not draft-07: use dependencies)', () => {
    // Strict mode refuses unknown keywords; the two message keywords are the editors' extension,
    // pythonRegex is validate's own (runner/schema/validate.ts compiles the pattern).
    const ajv = new Ajv({ strict: true, strictTypes: false, strictTuples: false, strictRequired: false });
    ajv.addVocabulary(['patternErrorMessage', 'errorMessage', 'pythonRegex']);
    for (const m of modules) assert.doesNotThrow(() => ajv.compile(m.schema as object), m.name);
  });
});
