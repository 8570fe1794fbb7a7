// The `sshd_config` module: sshd settings in one drop-in that sorts first, and a lockout-safe
// port move (validate staged, arm an on-host rollback, listen on both, prove a FRESH
// connection, drop the old port, disarm). Works with ssh.socket (Ubuntu 24.04) and ssh.service.
import { randomBytes } from 'node:crypto';
import { TaskError } from '../runner/errors.js';
import { defineModule, type ApplyContext, type Params } from '../runner/module.js';
import type { Script } from '../runner/shell/script.js';
import { caseless } from './lib/patterns.js';
import { parseSshdProbe, sshdProbeScript, type SshdObserved } from './lib/sshd-observe.js';
import { computeSshdPlan, sshdChanges, type Phase, type SshdPlan, type SshdWanted } from './lib/sshd-plan.js';
import { activateScript, armScript, disarmScript, rollbackNowScript, stageAndValidateScript, ufwCloseScript, ufwOpenScript } from './lib/sshd-steps.js';
import { validationProblems } from './lib/sshd-validate.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  description:
    'sshd settings, written to /etc/ssh/sshd_config.d/01-sparkbook.conf (sorted first: sshd keeps the first value of a keyword). ' +
    'Every change is validated staged outside the live Include (sshd -t, sshd -T -C for the connected user) before anything ' +
    'is live, and applied under an on-host rollback timer that only a FRESH connection disarms. A new port is opened in ufw ' +
    '(when active) first, listened on beside the old one, proven, and only then the old port and its ufw rules are dropped.',
  properties: {
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'The one port sshd should listen on. Absent: ports are left as they are.' },
    password_authentication: {
      type: 'string',
      enum: ['yes', 'no'],
      description: 'PasswordAuthentication. Absent: left as is (NVIDIA Sync pairs a new device with a password, so turning it off is a choice).',
    },
    permit_root_login: { type: 'string', enum: ['yes', 'no', 'prohibit-password', 'forced-commands-only'], description: 'PermitRootLogin.' },
    settings: {
      type: 'object',
      propertyNames: {
        pattern: `^(?!(?:${caseless('Port')}|${caseless('Match')}|${caseless('Include')})$)[A-Za-z][A-Za-z0-9]*$`,
        patternErrorMessage: 'must be an sshd_config keyword other than Port (use the port parameter), Match or Include',
      },
      additionalProperties: {
        type: ['string', 'integer', 'boolean'],
        pattern: '^[^\\r\\n]*\\S[^\\r\\n]*$',
        patternErrorMessage: 'must be one non-empty line',
      },
      description: 'More sshd_config keywords → values (booleans become yes/no). Not Port, Match or Include.',
    },
    confirm_timeout_s: {
      type: 'integer',
      minimum: 10,
      maximum: 3600,
      description: 'Seconds after which the host restores its previous sshd config unless sparkbook confirmed a fresh connection (default 120).',
    },
  },
  // A named parameter and a settings key for the same keyword (sshd ignores case) would both
  // claim it.
  allOf: [
    { if: { required: ['password_authentication'] }, then: { properties: { settings: { propertyNames: { not: { pattern: `^${caseless('PasswordAuthentication')}$` } } } } } },
    { if: { required: ['permit_root_login'] }, then: { properties: { settings: { propertyNames: { not: { pattern: `^${caseless('PermitRootLogin')}$` } } } } } },
  ],
  examples: [{ port: 2222 }, { port: 2222, password_authentication: 'no', settings: { MaxAuthTries: 3, X11Forwarding: false } }],
} as const;

type SshdParams = Params<typeof schema>;

export function sshdWanted(p: SshdParams): SshdWanted {
  const settings = new Map<string, string>();
  if (p.password_authentication !== undefined) settings.set('PasswordAuthentication', p.password_authentication);
  if (p.permit_root_login !== undefined) settings.set('PermitRootLogin', p.permit_root_login);
  for (const [key, value] of Object.entries(p.settings ?? {})) {
    const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
    // The schema refuses a key that repeats a named parameter; two settings keys that differ only
    // in case it cannot see (JSON Schema never compares keys with each other).
    if ([...settings.keys()].some((k) => k.toLowerCase() === key.toLowerCase())) {
      throw new TaskError('module', `sshd_config: settings has ${key} twice (sshd keywords ignore case)`);
    }
    settings.set(key, text);
  }
  return { port: p.port, settings, confirmTimeoutS: p.confirm_timeout_s ?? 120 };
}

function failed(step: string, r: { exitCode: number | null; stderr: string; stdout: string }): string {
  const text = (r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ');
  return `${step} failed (exit ${r.exitCode ?? 'signal'})${text === '' ? '' : `: ${text}`}`;
}

async function run(ctx: ApplyContext, step: string, script: Script): Promise<string> {
  const r = await ctx.run(script);
  if (r.exitCode !== 0) throw new TaskError('module', `sshd_config: ${failed(step, r)}`);
  return r.stdout;
}

/** A fresh connection proves the port; a local connection can only check the listener. */
async function prove(ctx: ApplyContext, port: number): Promise<void> {
  if (ctx.endpoint.transport === 'local') return;
  await ctx.reconnect({ port, adopt: true });
  ctx.log(`fresh SSH connection on port ${port}: ok (same host key)`);
}

/** The lockout-safe apply: small named steps, each a script from a pure function. */
export async function applySshdPlan(plan: SshdPlan, ctx: ApplyContext, id = randomBytes(4).toString('hex')): Promise<void> {
  const user = ctx.endpoint.user;
  const phases: Phase[] = plan.final === null ? [plan.first] : [plan.first, plan.final];
  const target = plan.newPort ?? ctx.endpoint.port;

  // (a) Open the new port first: a ufw rule is harmless if the rest fails.
  for (const rule of plan.ufwOpen) {
    await run(ctx, `ufw ${rule}`, ufwOpenScript(rule));
    ctx.log(`ufw ${rule}`);
  }
  // (b) Validate every phase staged outside the live Include glob; nothing live is touched.
  const problems = validationProblems(await run(ctx, 'staged validation', stageAndValidateScript(id, phases, user)), phases, user);
  if (problems.length > 0) throw new TaskError('module', `sshd_config: the candidate was refused, nothing was changed:\n- ${problems.join('\n- ')}`);
  ctx.log('staged config validated (sshd -t, sshd -T -C for the connected user)');
  // (c) Back up and arm the rollback BEFORE anything is live.
  await run(ctx, 'arming the rollback', armScript(id, plan));
  ctx.log(`rollback armed: the host restores its sshd config in ${plan.confirmTimeoutS}s unless confirmed`);
  try {
    // (d) Listen on old and new ports (or the final state when the port does not move); (e) prove.
    await run(ctx, plan.portMove ? 'listening on old and new ports' : 'activating the config', activateScript(plan.first, plan));
    await prove(ctx, target);
    // (f) Final config with the new port only; prove again.
    if (plan.final !== null) {
      await run(ctx, `listening on port ${target} only`, activateScript(plan.final, plan));
      await prove(ctx, target);
    }
    // (h) Confirmed: disarm and drop the backups.
    await run(ctx, 'disarming the rollback', disarmScript(id));
    ctx.log('rollback disarmed');
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    let restored = 'restored the previous config';
    try {
      await ctx.run(rollbackNowScript(id));
    } catch {
      // The session may be gone (that is what the timer is for).
      restored = `could not reach the host to restore now; the on-host timer restores it within ${plan.confirmTimeoutS}s`;
    }
    if (plan.portMove && ctx.endpoint.port !== plan.currentPorts[0] && ctx.endpoint.transport === 'ssh') {
      await ctx.reconnect({ port: plan.currentPorts[0] ?? 22, adopt: true }).catch(() => undefined);
    }
    throw new TaskError('module', `sshd_config: ${why}; ${restored}`);
  }
  // (g) Only after the move is confirmed, close the old port's rules (disarmed first, so a
  // late rollback can never bring back a port whose rule is gone).
  for (const rule of plan.ufwClose) {
    await run(ctx, `ufw delete ${rule}`, ufwCloseScript(rule));
    ctx.log(`ufw delete ${rule}`);
  }
}

export const sshd_config = defineModule<typeof schema, SshdObserved, SshdPlan | null>({
  name: 'sshd_config',
  summary: 'sshd settings and a lockout-safe SSH port move (validated, rollback timer, fresh-connection proof).',
  schema,
  probe() {
    return { script: sshdProbeScript(), parse: (r) => parseSshdProbe(r.stdout) };
  },
  plan(params, observed) {
    const plan = computeSshdPlan(sshdWanted(params), observed);
    return { changes: plan === null ? [] : sshdChanges(plan), private: plan };
  },
  async apply(_changes, ctx, plan) {
    // The executor applies only a non-empty plan, and this module's changes come from a plan.
    if (plan === null) throw new TaskError('module', 'sshd_config: apply got no plan (a bug)');
    await applySshdPlan(plan, ctx);
  },
  message(_params, observed) {
    return `sshd listens on ${observed.ports.join(', ') || '?'}`;
  },
});
