// The `copy` module (Ansible's ansible.builtin.copy): a controller file from files/, or inline
// `content`, written to the host. The engine finds and reads `src` (rule 12 of Module); this
// module compares and plans the one atomic write (modules/lib/write-file.ts).
import { defineModule } from '../runner/module.js';
import { WRITE_PROPERTIES } from './lib/copy-params.js';
import { controllerFile, copyProbe, planCopy } from './lib/plan-copy.js';
import type { ObservedFile } from './lib/probe-file.js';
import { toText } from './lib/text.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['dest'],
  properties: {
    src: {
      type: 'string',
      minLength: 1,
      description:
        'A file on the controller, copied as it is (UTF-8 text; a directory is refused). A relative path is looked up as Ansible does: ' +
        "files/SRC then SRC next to the playbook (a role's own directory first).",
    },
    content: {
      type: 'string',
      description: 'The whole content of dest, instead of src (templated like any string of the task).',
    },
    ...WRITE_PROPERTIES,
    remote_src: {
      type: 'boolean',
      default: false,
      description: 'Only false: copying a file that is already on the host is not supported (use command: cp, or template).',
    },
  },
  oneOf: [{ required: ['src'] }, { required: ['content'] }],
  allOf: [
    {
      if: { required: ['remote_src'], properties: { remote_src: { const: true } } },
      then: false,
      errorMessage: 'remote_src: true is not supported (src is always a controller file)',
    },
  ],
  errorMessage: { oneOf: 'give exactly one of src (a controller file) or content' },
  examples: [
    { src: 'limits.conf', dest: '/etc/security/limits.d/90-spark.conf', mode: '0644' },
    { content: 'Managed by sparkbook\n', dest: '/etc/motd' },
    { src: 'ca.pem', dest: '/usr/local/share/ca-certificates/', owner: 'root', group: 'root' },
  ],
} as const;

export const copy = defineModule<typeof schema, ObservedFile>({
  name: 'copy',
  aliases: ['ansible.builtin.copy'],
  summary: 'Copy a controller file (files/) or inline content to a file on the host.',
  schema,
  controllerFiles: { src: { under: 'files', render: false } },
  probe(params, _facts, context) {
    return copyProbe(params, params.content !== undefined ? (params.content as unknown) : controllerFile(context, 'src').content);
  },
  plan(params, observed, _facts, context) {
    const content = params.content !== undefined ? toText(params.content as unknown) : controllerFile(context, 'src').content;
    return planCopy(params, content, observed);
  },
});
