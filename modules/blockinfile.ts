// The `blockinfile` module: a block of lines between marker lines, inserted, updated or removed,
// as Ansible's blockinfile (the edit is modules/lib/plan-block.ts, the file plan plan-text-edit.ts).
import { defineModule } from '../runner/module.js';
import { MODE_PARAM } from './lib/file-attribute-params.js';
import { editBlock } from './lib/plan-block.js';
import { planTextEdit } from './lib/plan-text-edit.js';
import { textFileProbe, type ObservedFile } from './lib/probe-file.js';
import { TEXT_FILE_OWNER_PROPERTIES, TEXT_FILE_PATH_ONE_OF, TEXT_FILE_PATH_PROPERTIES, textFilePath } from './lib/text-file-params.js';
import { toText } from './lib/text.js';

const ONE_LINE = { pattern: '^[^\\n\\r]*$', patternErrorMessage: 'must be one line (it contains a newline)' } as const;

/** The params as types see them; their constraints are in `schema`. */
const shape = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...TEXT_FILE_PATH_PROPERTIES,
    block: {
      type: 'string',
      description: "The lines between the markers (a final newline is added). '' removes the block, as state: absent.",
    },
    content: { type: 'string', description: "Ansible's other name for block (give one of them)." },
    state: { type: 'string', enum: ['present', 'absent'], default: 'present', description: 'present: the block is there, as given. absent: no block.' },
    marker: {
      type: 'string',
      ...ONE_LINE,
      default: '# {mark} ANSIBLE MANAGED BLOCK',
      description:
        'The marker line; {mark} becomes marker_begin or marker_end. Give each block in a file its own marker, and a comment syntax the file understands.',
    },
    marker_begin: { type: 'string', ...ONE_LINE, default: 'BEGIN', description: '{mark} in the first marker line.' },
    marker_end: { type: 'string', ...ONE_LINE, default: 'END', description: '{mark} in the last marker line.' },
    insertafter: {
      type: 'string',
      pythonRegex: true,
      description:
        "Where a new block goes: after the last line matching this regexp (Python syntax; with a leading (?m) it is searched in the whole file), or EOF (the default). No match: at the end. A block already there stays where it is.",
    },
    insertbefore: {
      type: 'string',
      pythonRegex: true,
      description: 'Where a new block goes: before the last line matching this regexp, or BOF for the beginning. No match: at the end.',
    },
    create: { type: 'boolean', default: false, description: 'Create the file when it is missing (the directory must exist).' },
    ...TEXT_FILE_OWNER_PROPERTIES,
    mode: {
      ...MODE_PARAM,
      description: "Permissions of the file, as in the file module: '0644', 'u=rw,g=r,o=r'. A new file gets 0644 otherwise.",
    },
  },
} as const;

const schema = {
  ...shape,
  oneOf: TEXT_FILE_PATH_ONE_OF,
  allOf: [{ not: { required: ['insertafter', 'insertbefore'] } }, { not: { required: ['block', 'content'] } }],
  examples: [
    {
      path: '/etc/hosts',
      marker: '# {mark} sparkbook fleet',
      block: '10.20.0.11 spark-01 spark-01.local\n10.20.0.12 spark-02 spark-02.local',
    },
    {
      path: '/etc/security/limits.d/90-nccl.conf',
      marker: '# {mark} memlock for NCCL and RDMA',
      block: '* soft memlock unlimited\n* hard memlock unlimited',
      create: true,
      mode: '0644',
    },
    {
      dest: '/etc/ssh/sshd_config',
      marker: '# {mark} sparkbook: NVIDIA Sync pairing',
      insertbefore: '^Match ',
      block: 'PasswordAuthentication yes\nKbdInteractiveAuthentication no',
    },
    { path: '/etc/security/limits.conf', marker: '# {mark} memlock for NCCL and RDMA', state: 'absent' },
  ],
} as const;

export const blockinfile = defineModule<typeof shape, ObservedFile>({
  name: 'blockinfile',
  aliases: ['ansible.builtin.blockinfile'],
  summary: 'Insert, update or remove a block of lines between marker lines in a text file, like Ansible blockinfile.',
  schema,
  probe(params) {
    return textFileProbe(textFilePath(params));
  },
  plan(params, observed) {
    const state = params.state ?? 'present';
    const block = toText((params.block ?? params.content ?? '') as unknown);
    const rule = {
      block,
      state,
      marker: params.marker ?? '# {mark} ANSIBLE MANAGED BLOCK',
      markerBegin: params.marker_begin ?? 'BEGIN',
      markerEnd: params.marker_end ?? 'END',
      insertafter: params.insertafter,
      insertbefore: params.insertbefore,
    } as const;
    return planTextEdit(textFilePath(params), observed, (before) => editBlock(before, rule), {
      create: params.create ?? false,
      mode: params.mode,
      owner: params.owner,
      group: params.group,
      removesOnly: state === 'absent',
      what: 'blockinfile',
    });
  },
});
