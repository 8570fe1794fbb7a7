// The `template` module (Ansible's ansible.builtin.template): a controller file rendered with the
// host's variables and written to the host. The engine finds, reads and renders `src` (rule 12
// of Module); this module only compares the text with the host's file and plans the write.
import { defineModule } from '../runner/module.js';
import { WRITE_PROPERTIES } from './lib/copy-params.js';
import { controllerFile, copyProbe, planCopy } from './lib/plan-copy.js';
import type { ObservedFile } from './lib/probe-file.js';
import { mapText } from './lib/text.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['src', 'dest'],
  properties: {
    src: {
      type: 'string',
      minLength: 1,
      description:
        'The template on the controller, in the template language of docs/templates.md ({{ }}, {% if %}, {% for %}, {% set %}, {# #}). ' +
        "A relative path is looked up as Ansible does: templates/SRC then SRC next to the playbook (a role's own directory first).",
    },
    ...WRITE_PROPERTIES,
    newline_sequence: {
      type: 'string',
      enum: ['\n', '\r', '\r\n'],
      default: '\n',
      description: 'The line ending of the rendered file.',
    },
  },
  examples: [
    { src: 'chrony.conf.j2', dest: '/etc/chrony/chrony.conf', mode: '0644', owner: 'root', group: 'root' },
    { src: 'sudoers.j2', dest: '/etc/sudoers.d/spark', mode: '0440', validate: 'visudo -cf %s' },
    { src: 'hosts.j2', dest: '/etc/hosts', backup: true },
  ],
} as const;

export const template = defineModule<typeof schema, ObservedFile>({
  name: 'template',
  aliases: ['ansible.builtin.template'],
  summary: 'Render a controller template (Jinja: {{ }}, {% if %}, {% for %}) with the host\'s variables and write it to the host.',
  schema,
  controllerFiles: { src: { under: 'templates', render: true } },
  probe(params, _facts, context) {
    return copyProbe(params, controllerFile(context, 'src').content);
  },
  plan(params, observed, _facts, context) {
    const rendered = controllerFile(context, 'src').content;
    const newline = params.newline_sequence ?? '\n';
    const content = newline === '\n' ? rendered : mapText(rendered, (text) => text.split('\n').join(newline));
    return planCopy(params, content, observed);
  },
});
