// The `command` module: run a program (argv, or a cmdline split like Ansible's) or a shell line
// (cmd). Its change is a run, not a state: `creates`/`removes` are the only way it can be `ok`.
import { posix } from 'node:path';
import { defineModule, type Change, type Text } from '../runner/module.js';
import { joinScripts, sh, type Script } from '../runner/shell/script.js';
import { parseSections, parseTagged, section } from './lib/parse.js';
import { clip, mapText, revealText, showText, toText } from './lib/text.js';
import { ShlexError, shlexSplit } from '../runner/inventory/shlex.js';
import { TaskError } from '../runner/errors.js';
import { Secret, isSecret } from '../runner/shell/secret.js';

/** The params of how and whether a command runs, shared with the `shell` module. */
export const RUN_PROPERTIES = {
  chdir: { type: 'string', minLength: 1, description: 'Change into this directory before running.' },
  creates: {
    type: 'string',
    minLength: 1,
    description: 'A path: when it exists, the command does not run (status ok). Relative to chdir when given.',
  },
  removes: {
    type: 'string',
    minLength: 1,
    description: 'A path: when it does NOT exist, the command does not run (status ok). Relative to chdir when given.',
  },
  stdin: { type: 'string', description: 'Text fed to the command on its standard input (else it reads /dev/null).' },
  stdin_add_newline: { type: 'boolean', default: true, description: 'Append a newline to stdin.' },
} as const;

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    argv: {
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      description: 'The program and its arguments, each passed as is (no shell, no splitting, no globbing).',
    },
    cmd: {
      type: 'string',
      minLength: 1,
      description:
        'A command line run by /bin/sh -c: pipes, redirections and $VARS work (this is Ansible\'s `shell`; for no shell, use argv).',
    },
    cmdline: {
      type: 'string',
      minLength: 1,
      pattern: '\\S',
      patternErrorMessage: 'must hold a command',
      description:
        "A command line split into words as Ansible's command does (shlex: quotes and backslashes), run WITHOUT a shell: " +
        "no pipes, redirections or $VARS. What a free-form string fills: `command: echo hi`.",
    },
    ...RUN_PROPERTIES,
  },
  oneOf: [{ required: ['argv'] }, { required: ['cmd'] }, { required: ['cmdline'] }],
  examples: [
    { cmdline: 'systemctl is-system-running', chdir: '/' },
    { argv: ['ufw', 'reload'] },
    { cmd: 'nvidia-smi --query-gpu=name --format=csv,noheader > /var/lib/gpu-name', creates: '/var/lib/gpu-name' },
    { argv: ['tailscale', 'up', '--ssh'], removes: '/var/lib/tailscale/needs-login' },
    { argv: ['wg', 'pubkey'], stdin: 'PRIVATE-KEY-HERE', chdir: '/etc/wireguard' },
  ],
} as const;

/** What the probe saw of `creates` and `removes` (null when the task did not name one). */
export interface ObservedCommand {
  readonly createsExists: boolean | null;
  readonly removesExists: boolean | null;
}

/** The words of a cmdline; a Secret line gives Secret words, so none is shown. */
function splitCmdline(line: Text): Text[] {
  let words: string[];
  try {
    words = shlexSplit(revealText(line), { comments: false }).map((w) => w.text);
  } catch (error) {
    if (!(error instanceof ShlexError)) throw error;
    throw new TaskError('module', `cmdline: ${error.message}: ${showText(line)}`);
  }
  if (words.length === 0) throw new TaskError('module', 'cmdline holds no command');
  return words.map((w) => (isSecret(line) ? new Secret(w) : w));
}

function resolve(path: string, chdir: string | undefined): string {
  return chdir === undefined || path.startsWith('/') ? path : posix.join(chdir, path);
}

function existsProbe(tag: string, path: string | undefined, chdir: string | undefined): Script {
  if (path === undefined) return sh``;
  return sh`if [ -e ${resolve(path, chdir)} ]; then echo ${`${tag} 1`}; else echo ${`${tag} 0`}; fi`;
}

function flag(tags: Map<string, string>, tag: string, named: boolean): boolean | null {
  if (!named) return null;
  return tags.get(tag) === '1';
}

export const command = defineModule<typeof schema, ObservedCommand>({
  name: 'command',
  aliases: ['ansible.builtin.command'],
  freeForm: 'cmdline',
  summary: 'Run a command (argv, or a shell line with cmd), unless creates/removes say it already ran.',
  schema,
  verify: false,
  probe(params) {
    const body = joinScripts([existsProbe('creates', params.creates, params.chdir), existsProbe('removes', params.removes, params.chdir)]);
    return {
      script: params.creates === undefined && params.removes === undefined ? sh`` : section('command', body),
      parse: (result) => {
        const tags = parseTagged(parseSections(result.stdout).get('command') ?? []);
        return {
          createsExists: flag(tags, 'creates', params.creates !== undefined),
          removesExists: flag(tags, 'removes', params.removes !== undefined),
        };
      },
    };
  },
  plan(params, observed): Change[] {
    if (observed.createsExists === true) return [];
    if (observed.removesExists === false) return [];
    const args = params.cmdline !== undefined ? splitCmdline(toText(params.cmdline as unknown)) : (params.argv ?? []).map((a) => toText(a as unknown));
    const cmd = params.cmd === undefined ? undefined : toText(params.cmd as unknown);
    // With no stdin the command reads /dev/null: the script itself arrives on stdin (sh -s),
    // and a command reading stdin would otherwise swallow it.
    const run: Script = cmd !== undefined ? sh`sh -c ${cmd}` : sh`${args}`;
    const stdin: Text | undefined =
      params.stdin === undefined
        ? undefined
        : mapText(toText(params.stdin as unknown), (s) => (params.stdin_add_newline === false ? s : `${s}\n`));
    const body = stdin === undefined ? sh`${run} < /dev/null` : sh`printf '%s' ${stdin} | ${run}`;
    const cd = params.chdir === undefined ? sh`` : sh`cd -- ${params.chdir}
`;
    const shown = cmd !== undefined ? showText(cmd) : String(sh`${args}`);
    return [
      {
        action: '!',
        target: clip(shown, 80),
        summary: `run: ${clip(shown, 160)}`,
        script: sh`(
${cd}${body}
)`,
      },
    ];
  },
});
