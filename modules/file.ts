// The `file` module: a path is a file with some content, a directory, a symlink, or nothing,
// with a mode and owner. Ansible's file and copy (content=) in one.
import { defineModule } from '../runner/module.js';
import { isSecret } from '../runner/shell/secret.js';
import { planFile, type FileState } from './lib/plan-file.js';
import { SMALL_CONTENT_BYTES, fileProbe, type ObservedFile } from './lib/probe-file.js';
import { MODE_PARAM, OWNER_PARAM } from './lib/file-attribute-params.js';
import { toText } from './lib/text.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: {
      type: 'string',
      minLength: 1,
      description: 'Path on the host. Relative paths are relative to the login directory.',
    },
    state: {
      type: 'string',
      enum: ['file', 'directory', 'absent', 'link', 'touch'],
      default: 'file',
      description:
        'file: a regular file (with `content`, its whole content; without, it must already exist). ' +
        'directory: created with its parents (mkdir -p). absent: removed, recursively for a directory. ' +
        'link: a symlink to `src`. touch: an empty file is created if missing; times are never updated, so the task converges.',
    },
    content: {
      type: 'string',
      description:
        'The whole content of the file (state file). Written atomically: temp file in the same directory, fsync, rename. ' +
        'The parent directory must exist. A new file gets mode 0644 (0600 when the content is a secret) unless `mode` says otherwise; ' +
        'an existing file keeps its mode and owner.',
    },
    src: {
      type: 'string',
      minLength: 1,
      description: 'The target of the symlink (state link), written as is: relative targets are relative to the link.',
    },
    owner: {
      ...OWNER_PARAM,
      description: 'User name or numeric uid that should own the path.',
    },
    group: {
      ...OWNER_PARAM,
      description: 'Group name or numeric gid of the path.',
    },
    mode: {
      ...MODE_PARAM,
      description:
        "Permissions: octal as a quoted string ('0600', '0o600') or symbolic ('u=rw,g=r,o='). " +
        'An unquoted number is read by its digits as octal (YAML 1.2 reads 0644 as 644, which means 0644 here); ' +
        'a number with a digit 8 or 9 is rejected. Ignored for links.',
    },
    force: {
      type: 'boolean',
      default: false,
      description: 'state link: replace an existing regular file by the link (a directory is never replaced).',
    },
  },
  allOf: [
    { if: { required: ['state'], properties: { state: { const: 'link' } } }, then: { required: ['src'] } },
    { if: { required: ['content'] }, then: { properties: { state: { const: 'file' } } } },
    // As Ansible's file module: a src without state link would be silently ignored.
    {
      if: { required: ['src'] },
      then: { required: ['state'], properties: { state: { const: 'link' } } },
      errorMessage: "'src' is only for state: link (it is the target of the symlink)",
    },
    // The planner refuses it too; here `validate` says so before any host is contacted.
    {
      if: { required: ['state'], properties: { state: { const: 'absent' } } },
      then: { properties: { path: { not: { pattern: '^\\s*/*\\s*$' } } } },
      errorMessage: 'refusing to remove the root directory (state absent with path /)',
    },
  ],
  examples: [
    { path: '/etc/motd', content: 'Managed by sparkbook\n', mode: '0644' },
    { path: '/etc/wireguard', state: 'directory', mode: '0700', owner: 'root', group: 'root' },
    { path: '/usr/local/bin/nvsmi', state: 'link', src: '/usr/bin/nvidia-smi' },
    { path: '/etc/apt/sources.list.d/old.list', state: 'absent' },
  ],
} as const;

export const file = defineModule<typeof schema, ObservedFile>({
  name: 'file',
  aliases: ['ansible.builtin.file'],
  summary: 'Manage a file (its whole content), a directory, a symlink, or its absence, with mode and owner.',
  schema,
  probe(params) {
    // A secret's old value is never brought back over the wire: its sha256 is enough to compare.
    const read = params.content !== undefined && isSecret(params.content as unknown) ? 0 : SMALL_CONTENT_BYTES;
    return fileProbe(params.path, read);
  },
  plan(params, observed) {
    return planFile(
      {
        path: params.path,
        state: (params.state ?? 'file') as FileState,
        content: params.content === undefined ? undefined : toText(params.content as unknown),
        src: params.src,
        mode: params.mode,
        owner: params.owner,
        group: params.group,
        force: params.force,
      },
      observed,
    );
  },
});
