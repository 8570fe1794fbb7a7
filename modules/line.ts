// The `line` module: one line of a text file present or absent, as Ansible's lineinfile.
import { defineModule } from '../runner/module.js';
import { MODE_PARAM } from './lib/file-attribute-params.js';
import { planLine } from './lib/plan-line.js';
import { textFileProbe, type ObservedFile } from './lib/probe-file.js';
import { TEXT_FILE_OWNER_PROPERTIES, TEXT_FILE_PATH_ONE_OF, TEXT_FILE_PATH_PROPERTIES, textFilePath } from './lib/text-file-params.js';
import { toText } from './lib/text.js';

/** The params as types see them; their constraints are in `schema` (tsc gives up on them). */
const shape = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...TEXT_FILE_PATH_PROPERTIES,
    line: {
      type: 'string',
      pattern: '^[^\\n]*$',
      patternErrorMessage: 'must be one line (it contains a newline)',
      description: 'The whole line, without its newline (required for state present).',
    },
    value: {
      type: 'string',
      pattern: '^[^\\n]*$',
      patternErrorMessage: 'must be one line (it contains a newline)',
      description: "Ansible's other name for line (give one of them).",
    },
    regex: { type: 'string', pythonRegex: true, description: "Ansible's other name for regexp (give one of them)." },
    regexp: {
      type: 'string',
      pythonRegex: true,
      description:
        "A regular expression (Python's syntax, as Ansible: `(?P<name>…)`, `\\A`, a leading `(?i)`) searched in each line. " +
        'present: the last matching line (first with firstmatch) is replaced by `line`; absent: every matching line is removed. ' +
        'Make it match `line` itself, or each run may replace another line. Without regexp, lines equal to `line` are looked for.',
    },
    search_string: {
      type: 'string',
      description: 'Like regexp, but a literal string: a line containing it is replaced (present) or removed (absent).',
    },
    backrefs: {
      type: 'boolean',
      default: false,
      description:
        "present with regexp: `line` may use the regexp's groups (`\\1`, `\\g<name>`), and when the regexp matches no line the file is left " +
        'unchanged (nothing is inserted).',
    },
    firstmatch: {
      type: 'boolean',
      default: false,
      description: 'The first line matching regexp, search_string, insertafter or insertbefore is used, not the last.',
    },
    state: {
      type: 'string',
      enum: ['present', 'absent'],
      default: 'present',
      description: 'present: the line is in the file. absent: no line matches (regexp, or equals line).',
    },
    insertafter: {
      type: 'string',
      pythonRegex: true,
      description:
        'Where a missing line goes: after the last line (first with firstmatch) matching this regexp, or EOF (the default) for the end, ' +
        'or BOF for the beginning. No match: at the end. Used only when regexp/search_string match no line.',
    },
    insertbefore: {
      type: 'string',
      pythonRegex: true,
      description:
        'Where a missing line goes: before the last line (first with firstmatch) matching this regexp, or BOF for the beginning. ' +
        'No match: at the end.',
    },
    create: {
      type: 'boolean',
      default: false,
      description: 'Create the file when it is missing (the directory must exist). false: a missing file fails the task.',
    },
    ...TEXT_FILE_OWNER_PROPERTIES,
    mode: {
      ...MODE_PARAM,
      description: "Permissions of the file, as in the file module: '0644', '0o644', 'u=rw,g=r,o=r'. A new file gets 0644 otherwise.",
    },
  },
} as const;

const schema = {
  ...shape,
  // Ansible's names (dest, value, regex) are accepted beside ours, one name per param.
  oneOf: TEXT_FILE_PATH_ONE_OF,
  allOf: [
    { not: { required: ['insertafter', 'insertbefore'] } },
    { not: { required: ['line', 'value'] } },
    { not: { required: ['regexp', 'regex'] } },
    { not: { required: ['regexp', 'search_string'] } },
    { not: { required: ['regex', 'search_string'] } },
    { not: { required: ['backrefs', 'search_string'], properties: { backrefs: { const: true } } } },
    // backrefs expands the regexp's match: without a regexp there is none.
    {
      if: { required: ['backrefs'], properties: { backrefs: { const: true } } },
      then: { anyOf: [{ required: ['regexp'] }, { required: ['regex'] }] },
    },
    { if: { properties: { state: { const: 'present' } } }, then: { anyOf: [{ required: ['line'] }, { required: ['value'] }] } },
    // Without either, absent would look for nothing and always report ok.
    {
      if: { required: ['state'], properties: { state: { const: 'absent' } } },
      then: { anyOf: [{ required: ['line'] }, { required: ['value'] }, { required: ['regexp'] }, { required: ['regex'] }, { required: ['search_string'] }] },
    },
  ],
  examples: [
    { path: '/etc/ssh/sshd_config', regexp: '^#?PasswordAuthentication ', line: 'PasswordAuthentication no' },
    { path: '/etc/hosts', line: '192.168.1.20 spark-02' },
    { path: '/etc/environment', regexp: '^HTTP_PROXY=', state: 'absent' },
    { path: '/etc/modules-load.d/wireguard.conf', line: 'wireguard', create: true, mode: '0644' },
    { dest: '/etc/selinux/config', regexp: '^SELINUX=', line: 'SELINUX=enforcing' },
    { path: '/etc/default/grub', regexp: '^(GRUB_CMDLINE_LINUX_DEFAULT="(?:(?!iommu=pt).)*?)"$', line: '\\1 iommu=pt"', backrefs: true },
    { path: '/etc/ssh/sshd_config', search_string: '#Port 22', line: 'Port 2222', firstmatch: true },
    { path: '/etc/docker/daemon.json', line: '  "default-runtime": "nvidia",', insertafter: '^\\{', firstmatch: true },
  ],
} as const;

export const line = defineModule<typeof shape, ObservedFile>({
  name: 'line',
  aliases: ['lineinfile', 'ansible.builtin.lineinfile'],
  summary: 'Ensure a line is present in (or absent from) a text file, like lineinfile.',
  schema,
  probe(params) {
    return textFileProbe(textFilePath(params));
  },
  plan(params, observed) {
    const line = params.line ?? params.value;
    return planLine(
      textFilePath(params),
      observed,
      {
        line: line === undefined ? undefined : toText(line as unknown),
        regexp: params.regexp ?? params.regex,
        searchString: params.search_string,
        state: params.state ?? 'present',
        insertafter: params.insertafter,
        insertbefore: params.insertbefore,
        backrefs: params.backrefs ?? false,
        firstmatch: params.firstmatch ?? false,
      },
      { create: params.create ?? false, mode: params.mode, owner: params.owner, group: params.group },
    );
  },
});
