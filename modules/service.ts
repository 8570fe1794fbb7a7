// The `service` module (systemd): a unit started or stopped, enabled or not, masked or not,
// restarted or reloaded. It is also Ansible's `systemd` / `systemd_service` (one module, one
// planner: the params those take are a superset of `service`'s for a systemd host).
import { TaskError } from '../runner/errors.js';
import { defineModule, type Change } from '../runner/module.js';
import { sh } from '../runner/shell/script.js';
import { parseUnit, unitProbeScript, type ObservedUnit } from './lib/systemd-probe.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      pattern: '^[A-Za-z0-9_@:.\\\\][A-Za-z0-9_@:.\\\\-]*$',
      description: 'The systemd unit: ssh, ssh.socket, wg-quick@wg0. Without a suffix, .service is meant.',
    },
    state: {
      type: 'string',
      enum: ['started', 'stopped', 'restarted', 'reloaded'],
      description:
        'started/stopped: the unit is running or not (changed only when it was not). restarted/reloaded: restart or reload on every run ' +
        '(a `!` change, like Ansible: notify a handler to restart only after a change); a stopped unit is started instead.',
    },
    enabled: { type: 'boolean', description: 'Whether the unit starts at boot (systemctl enable/disable). Static units count as enabled.' },
    masked: {
      type: 'boolean',
      description:
        'Whether the unit is masked (systemctl mask/unmask: linked to /dev/null, so nothing can start it). ' +
        'false unmasks first, so `masked: false, state: started` starts a masked unit.',
    },
    scope: {
      type: 'string',
      enum: ['system'],
      default: 'system',
      description: "Which systemd manager: only 'system' (Ansible's 'user' and 'global' are not supported: sparkbook manages hosts, not login sessions).",
    },
    daemon_reload: {
      type: 'boolean',
      // No schema default: a filled-in false would satisfy the anyOf below for the executor,
      // which fills defaults before it checks, but not for `sparkbook validate`.
      description: '(default false) Run systemctl daemon-reload first when systemd reports the unit file changed on disk (NeedDaemonReload).',
    },
  },
  anyOf: [{ required: ['state'] }, { required: ['enabled'] }, { required: ['masked'] }, { required: ['daemon_reload'] }],
  // A masked unit cannot start nor be enabled: the task contradicts itself.
  allOf: [
    {
      if: { required: ['masked'], properties: { masked: { const: true } } },
      then: {
        not: {
          anyOf: [
            { required: ['state'], properties: { state: { enum: ['started', 'restarted', 'reloaded'] } } },
            { required: ['enabled'], properties: { enabled: { const: true } } },
          ],
        },
      },
    },
  ],
  examples: [
    { name: 'ssh', state: 'reloaded' },
    { name: 'wg-quick@wg0', state: 'started', enabled: true },
    { name: 'tailscaled', state: 'restarted', daemon_reload: true },
    { name: 'apt-daily-upgrade.timer', state: 'stopped', enabled: false },
    { name: 'nvidia-persistenced', state: 'started', enabled: true, masked: false, daemon_reload: true },
    { name: 'unattended-upgrades', state: 'stopped', masked: true },
  ],
} as const;

const RUNNING = new Set(['active', 'activating', 'reloading']);
/** is-enabled answers that mean "starts when it should" without `systemctl enable`. */
const ENABLED = new Set(['enabled', 'enabled-runtime', 'static', 'alias', 'indirect', 'generated', 'transient']);
const DISABLEABLE = new Set(['enabled', 'enabled-runtime']);

export const service = defineModule<typeof schema, ObservedUnit>({
  name: 'service',
  aliases: ['ansible.builtin.service', 'systemd', 'ansible.builtin.systemd', 'systemd_service', 'ansible.builtin.systemd_service'],
  summary: 'Start, stop, restart or reload a systemd unit, enable or disable it at boot, mask or unmask it (also systemd, systemd_service).',
  schema,
  probe(params) {
    return { script: unitProbeScript(params.name), parse: (result) => parseUnit(result.stdout) };
  },
  plan(params, o) {
    const name = params.name;
    if (!o.systemctl) throw new TaskError('module', `service ${name}: systemctl not found (the service module needs systemd)`);
    if (o.loadState === null) throw new TaskError('module', `service ${name}: systemd did not answer (is systemd running on this host?)`);
    // mask/unmask works on a unit not installed yet (Ansible's too); the rest needs the unit.
    if (o.loadState === 'not-found' && (params.state !== undefined || params.enabled !== undefined)) {
      throw new TaskError('precondition', `service ${name}: unit not found (LoadState=not-found)`);
    }
    const wantsRun = params.state === 'started' || params.state === 'restarted' || params.state === 'reloaded';
    const masked = o.loadState === 'masked' || o.enabled === 'masked' || o.enabled === 'masked-runtime';
    if (masked && params.masked !== false && (wantsRun || params.enabled === true)) {
      throw new TaskError('module', `service ${name}: unit is masked (systemctl unmask it first, or add masked: false)`);
    }
    const changes: Change[] = [];
    // Ansible's order: daemon-reload, mask/unmask, enable/disable, then the running state.
    if (params.daemon_reload === true && o.needDaemonReload === true) {
      changes.push({ action: '~', target: 'systemd', summary: `${name}: unit file changed on disk → daemon-reload`, script: sh`systemctl daemon-reload` });
    }
    if (params.masked === true && !masked) {
      changes.push({ action: '~', target: name, summary: `${name}: ${o.enabled ?? 'unknown'} → masked`, script: sh`systemctl mask -- ${name}` });
    }
    if (params.masked === false && masked) {
      // After unmask, is-enabled answers what the unit file says (disabled, most often).
      changes.push({ action: '~', target: name, summary: `${name}: masked → unmasked`, script: sh`systemctl unmask -- ${name}` });
    }
    const was = masked && params.masked === false ? 'unmasked' : (o.enabled ?? 'unknown');
    if (params.enabled === true && !ENABLED.has(was)) {
      changes.push({ action: '~', target: name, summary: `${name}: ${was} → enabled`, script: sh`systemctl enable -- ${name}` });
    }
    if (params.enabled === false && DISABLEABLE.has(was)) {
      changes.push({ action: '~', target: name, summary: `${name}: ${was} → disabled`, script: sh`systemctl disable -- ${name}` });
    }
    const active = o.activeState ?? 'unknown';
    const running = RUNNING.has(active);
    if (wantsRun && !running) {
      // A restart or reload of a stopped unit is a start: a state, which verify can check.
      changes.push({ action: '~', target: name, summary: `${name}: ${active} → active`, script: sh`systemctl start -- ${name}` });
    } else if (params.state === 'stopped' && running) {
      changes.push({ action: '~', target: name, summary: `${name}: ${active} → inactive`, script: sh`systemctl stop -- ${name}` });
    } else if (params.state === 'restarted') {
      changes.push({ action: '!', target: name, summary: `${name}: restart`, script: sh`systemctl restart -- ${name}` });
    } else if (params.state === 'reloaded') {
      changes.push({ action: '!', target: name, summary: `${name}: reload`, script: sh`systemctl reload -- ${name}` });
    }
    return changes;
  },
});
