// The tailscale planner and its scripts. The auth key reaches `tailscale up` only as
// `--auth-key=file:PATH`: the script (sent on stdin) writes it with the shell's builtin printf
// into a 0600 file on tmpfs and removes it on every exit path, so it is never in any argv,
// environment, log or report.
import { TaskError } from '../../runner/errors.js';
import type { Change } from '../../runner/module.js';
import { rawShell, sh, type Script } from '../../runner/shell/script.js';
import type { Secret } from '../../runner/shell/secret.js';
import type { TailscaleObserved } from './tailscale-status.js';

export interface TailscaleWanted {
  readonly state: 'up' | 'down';
  readonly authKey?: Secret;
  readonly hostname?: string;
  readonly advertiseTags?: readonly string[];
  readonly acceptRoutes?: boolean;
  readonly ssh?: boolean;
  readonly loginServer?: string;
  /** Extra `tailscale up` flags, used only when joining. */
  readonly extraArgs?: readonly string[];
  /** Seconds `tailscale up` waits for Running. */
  readonly timeoutS: number;
}

const NEEDS_JOIN = new Set(['NeedsLogin', 'NoState']);
const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
const TAG = /^tag:[A-Za-z0-9][A-Za-z0-9-]*$/;

function fail(message: string): never {
  throw new TaskError('module', `tailscale: ${message}`);
}

const NEEDS_TAILSCALE = rawShell(
  "command -v tailscale >/dev/null 2>&1 || { echo 'sparkbook: tailscale is not installed: install it first (apt: { name: tailscale })' >&2; exit 1; }",
);

/** The flags `tailscale up` is given when joining (never the key). */
export function upFlags(w: TailscaleWanted): string[] {
  const flags: string[] = [];
  if (w.hostname !== undefined) {
    if (!HOSTNAME.test(w.hostname)) fail(`hostname ${JSON.stringify(w.hostname)} is not a host name`);
    flags.push(`--hostname=${w.hostname}`);
  }
  if (w.advertiseTags !== undefined) {
    const bad = w.advertiseTags.find((t) => !TAG.test(t));
    if (bad !== undefined) fail(`tag ${JSON.stringify(bad)} must look like tag:name`);
    flags.push(`--advertise-tags=${w.advertiseTags.join(',')}`);
  }
  if (w.acceptRoutes !== undefined) flags.push(`--accept-routes=${w.acceptRoutes}`);
  if (w.ssh !== undefined) flags.push(`--ssh=${w.ssh}`);
  if (w.loginServer !== undefined) {
    if (!/^https?:\/\/[^\s]+$/.test(w.loginServer)) fail('login_server must be an http(s) URL');
    flags.push(`--login-server=${w.loginServer}`);
  }
  for (const arg of w.extraArgs ?? []) {
    if (/auth-?key|client-secret|id-token/i.test(arg)) fail('the auth key goes in auth_key, never in extra_args');
    if (!arg.startsWith('--')) fail(`extra_args entry ${JSON.stringify(arg)} is not a --flag`);
    flags.push(arg);
  }
  flags.push(`--timeout=${w.timeoutS}s`);
  return flags;
}

/**
 * The join script. The key file lives on tmpfs (/run, else /dev/shm), is created 0600 by
 * mktemp under umask 077, filled by the builtin printf (no process ever has the key in its
 * argv), and removed by an EXIT trap that INT/TERM/HUP also reach.
 */
export function joinScript(authKey: Secret | undefined, flags: readonly string[]): Script {
  if (authKey === undefined) return sh`${NEEDS_TAILSCALE}
tailscale up ${flags}`;
  return sh`(
set -e
${NEEDS_TAILSCALE}
umask 077
f=$(mktemp /run/sparkbook-ts.XXXXXX 2>/dev/null || mktemp /dev/shm/sparkbook-ts.XXXXXX)
trap 'rm -f -- "$f"' EXIT
trap 'exit 1' HUP INT TERM
printf '%s' ${authKey} > "$f"
tailscale up --auth-key="file:$f" ${flags}
)`;
}

/** `tailscale set` flags for what differs on a joined node; tags cannot be set this way. */
function setFlags(w: TailscaleWanted, o: TailscaleObserved): { flags: string[]; words: string[] } {
  const flags: string[] = [];
  const words: string[] = [];
  const haveHost = o.prefs?.hostname ?? o.hostName;
  if (w.hostname !== undefined && w.hostname !== haveHost) {
    if (!HOSTNAME.test(w.hostname)) fail(`hostname ${JSON.stringify(w.hostname)} is not a host name`);
    flags.push(`--hostname=${w.hostname}`);
    words.push(`hostname: ${haveHost ?? 'unset'} → ${w.hostname}`);
  }
  if (w.acceptRoutes !== undefined && o.prefs !== null && w.acceptRoutes !== o.prefs.acceptRoutes) {
    flags.push(`--accept-routes=${w.acceptRoutes}`);
    words.push(`accept-routes: ${String(o.prefs.acceptRoutes)} → ${w.acceptRoutes}`);
  }
  if (w.ssh !== undefined && o.prefs !== null && w.ssh !== o.prefs.ssh) {
    // Toggling Tailscale SSH may cut a session that runs over it: say so explicitly.
    flags.push(`--ssh=${w.ssh}`, '--accept-risk=lose-ssh');
    words.push(`ssh: ${String(o.prefs.ssh)} → ${w.ssh}`);
  }
  return { flags, words };
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return [...a].sort().join(',') === [...b].sort().join(',');
}

/** The changes that bring the node to the wanted state. */
export function planTailscale(w: TailscaleWanted, o: TailscaleObserved): Change[] {
  const state = o.backendState;
  if (w.state === 'down') {
    if (!o.installed || state !== 'Running') return [];
    return [{ action: '!', target: 'tailscale', summary: 'tailscale down', script: sh`tailscale down` }];
  }
  // Not installed yet (check mode before the apt task), or tailscaled not answering: plan the join.
  if (!o.installed || state === null || NEEDS_JOIN.has(state)) {
    if (w.authKey === undefined) fail('the node needs to log in and no auth_key was given (e.g. "{{ lookup(\'env\', \'TS_AUTHKEY\') }}")');
    const flags = upFlags(w);
    return [{ action: '!', target: 'tailscale', summary: `tailscale up --auth-key=file:… ${flags.join(' ')}`, script: joinScript(w.authKey, flags) }];
  }
  if (state === 'NeedsMachineAuth') {
    fail('the node waits for approval in the admin console (device approval); approve it, then run again');
  }
  const changes: Change[] = [];
  const haveTags = o.prefs?.advertiseTags ?? o.tags;
  if (w.advertiseTags !== undefined && !sameTags(w.advertiseTags, haveTags)) {
    fail(
      `advertise_tags ${w.advertiseTags.join(',')} differ from the node's ${haveTags.join(',') || '(none)'}; ` +
        'tailscale set cannot change tags: re-authenticate the node by hand (tailscale up --force-reauth) or log it out first',
    );
  }
  const { flags, words } = setFlags(w, o);
  if (flags.length > 0) {
    changes.push({ action: '~', target: 'tailscale', summary: `tailscale set: ${words.join(', ')}`, script: sh`tailscale set ${flags}` });
  }
  if (state === 'Stopped') {
    changes.push({ action: '!', target: 'tailscale', summary: 'tailscale up (stopped node, already logged in)', script: sh`tailscale up --timeout=${`${w.timeoutS}s`}` });
  }
  return changes;
}
