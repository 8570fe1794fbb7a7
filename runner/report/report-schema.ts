// The JSON Schema of `--report FILE.json`, written `as const` so the Report type is inferred
// from it (json-schema-to-ts) and cannot drift; schema/report.schema.json is this, checked in.
import type { FromSchema } from 'json-schema-to-ts';
import { FAILURE_KINDS } from '../errors.js';

const statusSchema = { type: 'string', enum: ['ok', 'changed', 'failed', 'skipped', 'unreachable'] } as const;

const count = { type: 'integer', minimum: 0 } as const;
const milliseconds = { type: 'number', minimum: 0 } as const;
// ISO 8601 as Date.toISOString() writes it; a pattern because ajv knows no formats without a plugin.
const timestamp = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' } as const;

export const reportSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'sparkbook run report',
  description: 'Written by `sparkbook run --report FILE.json`; merged by `sparkbook report merge`. Secrets are redacted.',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'playbook', 'startedAt', 'durationMs', 'check', 'hosts', 'results'],
  properties: {
    version: { const: 1, description: 'Format version of this report.' },
    playbook: { type: 'string', description: 'The playbook path as given on the command line.' },
    startedAt: { ...timestamp, description: 'When the run started (UTC, ISO 8601).' },
    durationMs: { ...milliseconds, description: 'Wall time of the run.' },
    check: { type: 'boolean', description: 'Check mode: changed results are pending; nothing was changed.' },
    hosts: {
      type: 'array',
      description: 'One recap per host, in the order the run reported them.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['host', 'ok', 'changed', 'failed', 'skipped', 'unreachable', 'durationMs'],
        properties: {
          host: { type: 'string' },
          ok: count,
          changed: count,
          failed: count,
          skipped: count,
          unreachable: count,
          rescued: { ...count, description: "Failures a block's rescue handled (not counted in failed), as Ansible's recap." },
          ignored: { ...count, description: "Failures of tasks with ignore_errors (not counted in failed), as Ansible's recap." },
          durationMs: milliseconds,
          note: { type: 'string', description: 'Why the host did not run, e.g. "skipped (rollout stopped)".' },
        },
      },
    },
    results: {
      type: 'array',
      description: 'Every task result, grouped by host in host order, in run order within a host.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['host', 'play', 'task', 'module', 'status', 'pending', 'changes', 'startedAt', 'durationMs'],
        properties: {
          host: { type: 'string' },
          play: { type: 'string' },
          task: { type: 'string' },
          module: { type: 'string' },
          status: statusSchema,
          pending: { type: 'boolean', description: 'A change found in check mode: nothing was changed.' },
          changes: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['action', 'target', 'summary'],
              properties: {
                action: { type: 'string', enum: ['+', '~', '-', '!'], description: 'create, update, delete, run' },
                target: { type: 'string' },
                summary: { type: 'string' },
                diff: { type: 'string', description: 'Unified diff, present with --diff.' },
              },
            },
          },
          message: { type: 'string' },
          reason: { type: 'string', description: 'Why the task failed, was skipped or the host was unreachable.' },
          errorKind: { type: 'string', enum: FAILURE_KINDS, description: 'The kind of failure of a failed or unreachable result: not-converged, command, timeout, precondition, unreachable, auth, …' },
          item: { description: 'The loop item, for a task with loop:.' },
          startedAt: timestamp,
          durationMs: milliseconds,
        },
      },
    },
  },
} as const;

export type Report = FromSchema<typeof reportSchema>;
export type ReportHost = Report['hosts'][number];
export type ReportResult = Report['results'][number];
