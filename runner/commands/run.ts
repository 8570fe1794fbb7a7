// `sparkbook run PLAYBOOK`: check every input, then run the playbook and report.
import { InputError } from '../errors.js';
import { runPlaybook } from '../executor/run.js';
import { parseSerialOption } from '../executor/batches.js';
import { DEFAULT_FORKS, type ExecutorOptions } from '../executor/options.js';
import type { RunEventListener } from '../executor/events.js';
import { findModule } from '../../modules/index.js';
import { parseCommandArgs, intOption } from './args.js';
import { passphrasePrompt, readBecomePassword } from './become-password.js';
import { createHostAccess, hostKeyPolicyOption } from './host-access.js';
import type { CommandIo } from './io.js';
import { prepareCommandInputs } from './command-inputs.js';
import { renderHostList, renderTaskList } from './run-listing.js';
import { ansibleFlags, askLoginPassword, describeConnection } from './ansible-flags.js';
import type { ConnectionSettings } from '../connection/settings.js';
import { configuredPolicy, loadAnsibleConfig } from './ansible-cfg.js';
import { VAULT_HELP, VAULT_OPTIONS } from './vault-password.js';
import { ROLES_PATH_HELP, ROLES_PATH_OPTIONS } from './roles-path.js';
import { EXIT } from './exit-codes.js';
import { createReporters } from './reporters.js';
import { updateRetryFile } from './retry-file.js';
import { DEFAULT_RETRY_FILE } from '../report/retry.js';

export const RUN_HELP = `Usage: sparkbook run PLAYBOOK [options]

  -i, --inventory PATH        inventory file or directory (default: ansible.cfg's inventory, else
                              this machine over a local connection)
  -C, --check                 dry run: show what would change, change nothing
  -D, --diff                  show unified diffs of file changes
  -l, --limit PATTERN         only hosts matching PATTERN (groups, globs, ':', '&', '!', @file)
  -t, --tags LIST             only tasks with these tags       --skip-tags LIST   not these
      --start-at-task NAME    start at the task with this name
  -e, --extra-vars VARS       KEY=VALUE, a JSON/YAML mapping, or @file.yml (repeatable)
  -f, --forks N               hosts in parallel (default ${DEFAULT_FORKS})
      --serial N|N%|LIST      roll out in batches (e.g. 1,5,25%)
      --max-fail-percentage P stop the rollout when a batch has more than P% failed hosts
      --shard K/N             run only the K-th of N stable slices of the hosts
      --report FILE.json      write a JSON report      --junit FILE.xml   write a JUnit report
      --output MODE           pretty | plain | json (default: pretty on a terminal, else plain)
  -K, --ask-become-pass       ask for the sudo password (or set SPARKBOOK_BECOME_PASS)
      --host-key-policy P     strict (default) | accept-new
      --known-hosts FILE      known_hosts file (default ~/.ssh/known_hosts)
  -F, --ssh-config FILE       ssh config file (default ~/.ssh/config)
      --timeout SECONDS       connect and per-command timeout (default 30 / none)
      --detailed-exitcode     with --check: exit 8 when changes are pending (and --strict by default)
      --strict                a hosts: pattern, --limit term, --tags/--skip-tags tag or --start-at-task
                              name that matches nothing is an error (exit 2, no host contacted),
                              not a warning; the default with --check --detailed-exitcode
      --no-strict             keep those warnings with --check --detailed-exitcode
      --retry-file FILE       where failed hosts are listed (default .sparkbook/retry)
${ROLES_PATH_HELP}${VAULT_HELP}
ansible.cfg is read as Ansible finds it ($ANSIBLE_CONFIG, ./ansible.cfg unless the directory is
world-writable, ~/.ansible.cfg): [defaults] inventory, remote_user, private_key_file, forks,
host_key_checking, timeout, vault_password_file, roles_path; [privilege_escalation] become,
become_user, become_method. A flag given on the command line wins over it.

Ansible's flags (a host's inventory vars and -e win over them, as in Ansible; docs/ansible.md):
  -u, --user USER             remote user for hosts whose inventory sets no ansible_user
      --private-key FILE      SSH key tried first for hosts whose inventory sets none (also --key-file)
  -k, --ask-pass              ask for the SSH login password, for hosts whose inventory sets none
  -b, --become                plays that say nothing about become run with it (sudo)
      --become-user USER      the user to become in plays that name none (default root)
      --become-method METHOD  sudo, the only method sparkbook has (another is an error)
  -v, --verbose               -v: each task's stdout, stderr and rc under its result; -vv: also the
                              module's return values; -vvv: also each host's resolved connection.
                              Plain output unless --output says otherwise; secrets stay masked
      --list-hosts            print each play's hosts (after --limit), contact none, exit 0
      --list-tasks            print each play's tasks (after --tags, --skip-tags, --limit and
                              --start-at-task), contact no host, exit 0
      --syntax-check          load and check the playbook as 'sparkbook validate' does, exit 0 or 2
      --flush-cache           accepted and ignored: sparkbook keeps no fact cache between runs
                              (facts are gathered fresh, by need, on every run)
`;

/** --strict, --no-strict, or the default: strict for a CI drift check (--check --detailed-exitcode). */
function strictOption(values: { strict?: boolean; 'no-strict'?: boolean; check?: boolean; 'detailed-exitcode'?: boolean }): boolean | string {
  if (values.strict && values['no-strict']) throw new InputError('usage', '--strict and --no-strict contradict each other');
  if (values.strict !== undefined) return true;
  if (values['no-strict'] !== undefined) return false;
  return (values.check ?? false) && (values['detailed-exitcode'] ?? false) ? '--check --detailed-exitcode, which implies --strict (--no-strict to warn only)' : false;
}

export async function runCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('run', args, {
    inventory: { type: 'string', short: 'i' },
    check: { type: 'boolean', short: 'C' },
    diff: { type: 'boolean', short: 'D' },
    limit: { type: 'string', short: 'l' },
    tags: { type: 'string', short: 't', multiple: true },
    'skip-tags': { type: 'string', multiple: true },
    'start-at-task': { type: 'string' },
    'extra-vars': { type: 'string', short: 'e', multiple: true },
    forks: { type: 'string', short: 'f' },
    serial: { type: 'string' },
    'max-fail-percentage': { type: 'string' },
    shard: { type: 'string' },
    report: { type: 'string' },
    junit: { type: 'string' },
    output: { type: 'string' },
    'ask-become-pass': { type: 'boolean', short: 'K' },
    'host-key-policy': { type: 'string' },
    'known-hosts': { type: 'string' },
    'ssh-config': { type: 'string', short: 'F' },
    timeout: { type: 'string' },
    'detailed-exitcode': { type: 'boolean' },
    'retry-file': { type: 'string' },
    strict: { type: 'boolean' },
    'no-strict': { type: 'boolean' },
    user: { type: 'string', short: 'u' },
    'private-key': { type: 'string' },
    'key-file': { type: 'string' },
    'ask-pass': { type: 'boolean', short: 'k' },
    become: { type: 'boolean', short: 'b' },
    'become-user': { type: 'string' },
    'become-method': { type: 'string' },
    verbose: { type: 'boolean', short: 'v', multiple: true },
    'list-hosts': { type: 'boolean' },
    'list-tasks': { type: 'boolean' },
    'syntax-check': { type: 'boolean' },
    'flush-cache': { type: 'boolean' },
    ...VAULT_OPTIONS,
    ...ROLES_PATH_OPTIONS,
  });
  if (values.help) {
    io.stdout.write(RUN_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new InputError('usage', `sparkbook run: expected one PLAYBOOK, got ${positionals.length} (see 'sparkbook run --help')`);
  const verbosity = values.verbose?.length ?? 0;
  // -v output is lines under each result: the live view has no room for them.
  const output = values.output ?? (io.stdout.isTTY && verbosity === 0 ? 'pretty' : 'plain');
  const listing = [values['list-hosts'] && '--list-hosts', values['list-tasks'] && '--list-tasks', values['syntax-check'] && '--syntax-check'].filter((f): f is string => typeof f === 'string');
  if (listing.length > 1) throw new InputError('usage', `${listing.join(' and ')} cannot be combined`);
  const config = await loadAnsibleConfig(io, verbosity);
  const flags = ansibleFlags(values, config);
  if (!['pretty', 'plain', 'json'].includes(output)) throw new InputError('usage', `--output must be pretty, plain or json, got '${output}'`);
  const maxFail = values['max-fail-percentage'];
  if (maxFail !== undefined && !(/^\d+(\.\d+)?$/.test(maxFail) && Number(maxFail) <= 100)) {
    throw new InputError('usage', `--max-fail-percentage must be a number from 0 to 100, got '${maxFail}'`);
  }
  let shard: ExecutorOptions['shard'];
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new InputError('usage', `--shard must be K/N with 1 <= K <= N, got '${values.shard}'`);
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  const timeoutS = values.timeout === undefined ? undefined : intOption('timeout', values.timeout, 30);
  const policy = hostKeyPolicyOption(values['host-key-policy'] ?? configuredPolicy(config, io));
  // ansible.cfg's timeout is the SSH connect timeout; --timeout sets it and the command timeout.
  const connectS = timeoutS ?? config?.timeout?.value;
  const splitList = (v: string[] | undefined): string[] => (v ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

  // What --tags, --skip-tags and --start-at-task select: checked against the playbook, listed, run.
  const selection = {
    tags: splitList(values.tags),
    skipTags: splitList(values['skip-tags']),
    ...(values['start-at-task'] !== undefined ? { startAtTask: values['start-at-task'] } : {}),
  };

  const prepared = await prepareCommandInputs(values, io, config, { playbookFiles: positionals, playDefaults: flags.playDefaults, selection, strict: strictOption(values) });
  const listOptions = { ...(prepared.limit ? { limit: prepared.limit } : {}), ...selection };
  const playbook = prepared.playbooks[0]!;
  if (values['syntax-check']) {
    io.stdout.write(`\nplaybook: ${playbook.file}\n`);
    return EXIT.ok;
  }
  if (values['list-hosts']) {
    io.stdout.write(renderHostList(playbook, prepared.inventory, listOptions));
    return EXIT.ok;
  }
  if (values['list-tasks']) {
    io.stdout.write(renderTaskList(playbook, prepared.inventory, listOptions));
    return EXIT.ok;
  }
  const loginPassword = values['ask-pass'] ? await askLoginPassword(io) : undefined;
  const becomePassword = await readBecomePassword(values['ask-become-pass'] ?? false, io);

  const options: ExecutorOptions = {
    check: values.check ?? false,
    diff: values.diff ?? false,
    forks: intOption('forks', values.forks, config?.forks?.value ?? DEFAULT_FORKS),
    ...listOptions,
    extraVars: prepared.extraVars,
    ...(values.serial !== undefined ? { serial: parseSerialOption(values.serial) } : {}),
    ...(maxFail !== undefined ? { maxFailPercentage: Number(maxFail) } : {}),
    ...(timeoutS !== undefined ? { timeoutMs: timeoutS * 1000 } : {}),
    ...(shard ? { shard } : {}),
  };
  const access = createHostAccess({
    hostKeyPolicy: policy,
    ...(values['known-hosts'] !== undefined ? { knownHostsPath: values['known-hosts'] } : {}),
    ...(values['ssh-config'] !== undefined ? { sshConfigPath: values['ssh-config'] } : {}),
    ...(connectS !== undefined ? { connectTimeoutMs: connectS * 1000 } : {}),
    ...(timeoutS !== undefined ? { commandTimeoutMs: timeoutS * 1000 } : {}),
    ...(becomePassword ? { becomePassword } : {}),
    env: io.env,
    extraVars: prepared.extraVars,
    ...(io.stdin.isTTY && io.stdin.setRawMode ? { askPassphrase: passphrasePrompt(io) } : {}),
    defaults: { ...flags.connection, ...(loginPassword ? { password: loginPassword } : {}) },
    ...(verbosity >= 3 ? { onResolved: (settings: ConnectionSettings) => io.stdout.write(describeConnection(settings)) } : {}),
  });

  const reporters = createReporters({ output: output as 'pretty' | 'plain' | 'json', io, diff: options.diff, check: options.check, verbosity });
  const emit: RunEventListener = (event) => {
    for (const listener of reporters.listeners) listener(event);
  };
  const summary = await runPlaybook({ playbook, inventory: prepared.inventory, options, access, findModule, emit });
  await reporters.finish();

  const meta = { playbook: playbook.file, check: options.check };
  if (values.report) await reporters.writeReport(values.report, meta);
  if (values.junit) await reporters.writeJunit(values.junit, meta);
  const retryFile = values['retry-file'] ?? DEFAULT_RETRY_FILE;
  try {
    const update = await updateRetryFile(retryFile, summary.recap, summary.failedHosts, options.check);
    if (update === 'written') io.stderr.write(`Failed hosts written to ${retryFile}: rerun them with --limit @${retryFile}\n`);
    if (update === 'removed') io.stderr.write(`Every host in ${retryFile} succeeded: removed it\n`);
  } catch (error) {
    io.stderr.write(`warning: could not update ${retryFile}: ${(error as Error).message}\n`);
  }
  if (summary.failedHosts.length > 0) return EXIT.hostFailed;
  if (options.check && values['detailed-exitcode'] && summary.changed) return EXIT.pending;
  return EXIT.ok;
}
