// The schema properties `copy` and `template` share: where the file goes and how it is written.
import { MODE_PARAM, OWNER_PARAM } from './file-attribute-params.js';

export const WRITE_PROPERTIES = {
  dest: {
    type: 'string',
    minLength: 1,
    description:
      'Path of the file on the host. Ending with `/`, a directory: the file gets the basename of `src` inside it. ' +
      'The parent directory must exist. Written atomically (temp file in the same directory, fsync, rename).',
  },
  mode: {
    ...MODE_PARAM,
    description:
      "Permissions: octal as a quoted string ('0644') or symbolic ('u=rw,g=r,o='). A new file gets 0644 (0600 when it holds a vault secret) " +
      'unless this says otherwise; an existing file keeps its mode.',
  },
  owner: { ...OWNER_PARAM, description: 'User name or numeric uid that should own the file.' },
  group: { ...OWNER_PARAM, description: 'Group name or numeric gid of the file.' },
  backup: {
    type: 'boolean',
    default: false,
    description: 'Before replacing the file, keep a copy of it as DEST.PID.YYYY-MM-DD@HH:MM:SS~.',
  },
  force: {
    type: 'boolean',
    default: true,
    description: 'false: write the file only when dest does not exist yet (an existing file is left as it is).',
  },
  validate: {
    type: 'string',
    pattern: '%s',
    patternErrorMessage: "must contain %s (the path of the new content), e.g. 'visudo -cf %s'",
    description:
      'A command the new content must pass before it replaces dest, `%s` standing for the temp file: `visudo -cf %s`, `sshd -t -f %s`. ' +
      'Run by /bin/sh on the host; a non-zero exit fails the task and leaves dest untouched.',
  },
} as const;
