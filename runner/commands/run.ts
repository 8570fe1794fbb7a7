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
import { prepareInputs } from './prepare.js';
import { readVaultPasswords, VAULT_HELP, VAULT_OPTIONS } from './vault-password.js';
import { ROLES_PATH_HELP, ROLES_PATH_OPTIONS, rolesPathOf } from './roles-path.js';
import { EXIT } from './exit-codes.js';
import { createReporters } from './reporters.js';
import { updateRetryFile } from './retry-file.js';
import { DEFAULT_RETRY_FILE } from '../report/retry.js';

export const RUN_HELP = `Usage: sparkbook run PLAYBOOK [options]

  -i, --inventory PATH        inventory file or directory (default: this machine, local connection)
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
      --detailed-exitcode     with --check: exit 8 when changes are pending
      --retry-file FILE       where failed hosts are listed (default .sparkbook/retry)
${ROLES_PATH_HELP}${VAULT_HELP}`;

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
    ...VAULT_OPTIONS,
    ...ROLES_PATH_OPTIONS,
  });
  if (values.help) {
    io.stdout.write(RUN_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new InputError('usage', `sparkbook run: expected one PLAYBOOK, got ${positionals.length} (see 'sparkbook run --help')`);
  const output = values.output ?? (io.stdout.isTTY ? 'pretty' : 'plain');
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
  const policy = hostKeyPolicyOption(values['host-key-policy']);
  const splitList = (v: string[] | undefined): string[] => (v ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

  const prepared = await prepareInputs({
    playbookFiles: positionals,
    inventoryPath: values.inventory,
    extraVars: values['extra-vars'] ?? [],
    limit: values.limit,
    vaultPasswords: await readVaultPasswords(values, io),
    rolesPath: rolesPathOf(values),
  });
  for (const w of prepared.warnings) io.stderr.write(`warning: ${w}\n`);
  const becomePassword = await readBecomePassword(values['ask-become-pass'] ?? false, io);

  const options: ExecutorOptions = {
    check: values.check ?? false,
    diff: values.diff ?? false,
    forks: intOption('forks', values.forks, DEFAULT_FORKS),
    ...(prepared.limit ? { limit: prepared.limit } : {}),
    tags: splitList(values.tags),
    skipTags: splitList(values['skip-tags']),
    ...(values['start-at-task'] !== undefined ? { startAtTask: values['start-at-task'] } : {}),
    extraVars: prepared.extraVars,
    ...(values.serial !== undefined ? { serial: parseSerialOption(values.serial) } : {}),
    ...(maxFail !== undefined ? { maxFailPercentage: Number(maxFail) } : {}),
    ...(timeoutS !== undefined ? { timeoutMs: timeoutS * 1000 } : {}),
    ...(shard ? { shard } : {}),
  };
  const playbook = prepared.playbooks[0]!;
  const access = createHostAccess({
    hostKeyPolicy: policy,
    ...(values['known-hosts'] !== undefined ? { knownHostsPath: values['known-hosts'] } : {}),
    ...(values['ssh-config'] !== undefined ? { sshConfigPath: values['ssh-config'] } : {}),
    ...(timeoutS !== undefined ? { connectTimeoutMs: timeoutS * 1000, commandTimeoutMs: timeoutS * 1000 } : {}),
    ...(becomePassword ? { becomePassword } : {}),
    env: io.env,
    extraVars: prepared.extraVars,
    ...(io.stdin.isTTY && io.stdin.setRawMode ? { askPassphrase: passphrasePrompt(io) } : {}),
  });

  const reporters = createReporters({ output: output as 'pretty' | 'plain' | 'json', io, diff: options.diff, check: options.check });
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
