// The sshd_config planner (pure): the candidate files of both phases of a port move (listen on
// old+new, then new only), how sshd is (re)started here, and the ufw rules to mirror for the
// new port and drop for the old. The module's apply walks this plan step by step.
import { TaskError } from '../../runner/errors.js';
import type { Change } from '../../runner/module.js';
import { MISSING_FILE, type ObservedFile } from './probe-file.js';
import { SOCKET_DROPIN_DIR, type SshdObserved } from './sshd-observe.js';
import { SPARKBOOK_DROPIN, SSHD_DROPIN_DIR, SSHD_MAIN, commentOut, directives, ensureInclude, includeLine, listenAddressPorts, renderDropIn } from './sshd-text.js';
import { movePortRule } from './ufw-rules.js';
import { planFile } from './plan-file.js';

export type InitMode = 'socket-generator' | 'socket-override' | 'service' | 'pidfile';

/** Our ssh.socket override, used only where no generator derives ListenStream from sshd_config. */
export const SOCKET_OVERRIDE = `${SOCKET_DROPIN_DIR}/50-sparkbook-port.conf`;

export interface SshdWanted {
  readonly port?: number;
  /** sshd_config keyword → value, in the order they are written. */
  readonly settings: ReadonlyMap<string, string>;
  readonly confirmTimeoutS: number;
}

/** One file of a phase: its text before (null: absent) and after. */
export interface FileState {
  readonly path: string;
  readonly before: string | null;
  readonly after: string;
  readonly mode: string | undefined;
}

/** The whole sshd configuration of a phase: what sshd -t must accept. */
export interface Phase {
  readonly ports: readonly number[];
  /** Every file sparkbook writes in this phase (changed or not). */
  readonly files: readonly FileState[];
  /** The main file and every drop-in (name → text), as sshd will read them. */
  readonly main: string;
  readonly dropIns: readonly { readonly name: string; readonly content: string }[];
}

export interface SshdPlan {
  readonly init: InitMode;
  readonly serviceUnit: string | null;
  readonly pidfile: string | null;
  readonly systemdTimer: boolean;
  readonly currentPorts: readonly number[];
  readonly newPort: number | null;
  readonly portMove: boolean;
  /** Listen on old and new ports (a port move), or the final state (no move): validated, then live. */
  readonly first: Phase;
  /** The final state after a port move; null when there is no move. */
  readonly final: Phase | null;
  /** ufw rules (canonical text) to add before, and to delete after, a port move. */
  readonly ufwOpen: readonly string[];
  readonly ufwClose: readonly string[];
  readonly confirmTimeoutS: number;
}

const OUR_NAME = SPARKBOOK_DROPIN.slice(SSHD_DROPIN_DIR.length + 1);
const SAFE_NAME = /^[A-Za-z0-9_.@+-]+$/;

function fail(message: string): never {
  throw new TaskError('module', `sshd_config: ${message}`);
}

/** How sshd is started on this host, and so how a new config becomes live. */
export function initMode(o: SshdObserved): InitMode {
  const i = o.init;
  if (i.systemctl && i.systemdRunning && (i.socketActive === 'active' || i.socketEnabled === 'enabled')) {
    return i.generator ? 'socket-generator' : 'socket-override';
  }
  if (i.systemctl && i.systemdRunning && i.serviceUnit !== null) return 'service';
  return 'pidfile';
}

function socketOverride(ports: readonly number[]): string {
  return ['# Managed by sparkbook (sshd_config module): the ports ssh.socket listens on.', '[Socket]', 'ListenStream=', ...ports.map((p) => `ListenStream=${p}`), ''].join('\n');
}

/** The files of one phase with `ports` on the Port lines (null: ports are not managed). */
function phase(o: SshdObserved, w: SshdWanted, ports: readonly number[] | null, mode: InitMode): Phase {
  const mainText = o.main.content;
  if (!o.main.exists || mainText === null) fail(`${SSHD_MAIN} is missing or unreadable`);
  const managed = new Set([...w.settings.keys()].map((k) => k.toLowerCase()));
  const withPorts = ports === null ? managed : new Set([...managed, 'port']);
  const included = ensureInclude(mainText);
  // Above the Include, the main file's own values would beat the drop-in; Port lines add up everywhere.
  let main = commentOut(included, managed, includeLine(included));
  if (ports !== null) main = commentOut(main, new Set(['port']));
  const files: FileState[] = [];
  const ours = renderDropIn(ports, w.settings);
  const oursBefore = o.dropIns.find((d) => d.name === OUR_NAME);
  files.push({ path: SPARKBOOK_DROPIN, before: oursBefore === undefined ? null : oursBefore.content ?? '', after: ours, mode: '0600' });
  if (main !== mainText) files.push({ path: SSHD_MAIN, before: mainText, after: main, mode: undefined });
  const dropIns: { name: string; content: string }[] = [{ name: OUR_NAME, content: ours }];
  for (const d of o.dropIns) {
    if (d.name === OUR_NAME) continue;
    if (d.content === null) fail(`${SSHD_DROPIN_DIR}/${d.name} is unreadable or not text`);
    const keys = d.name < OUR_NAME ? withPorts : ports === null ? new Set<string>() : new Set(['port']);
    const after = commentOut(d.content, keys);
    if (after !== d.content) {
      if (!SAFE_NAME.test(d.name)) fail(`cannot edit a drop-in with the name ${JSON.stringify(d.name)}`);
      files.push({ path: `${SSHD_DROPIN_DIR}/${d.name}`, before: d.content, after, mode: undefined });
    }
    dropIns.push({ name: d.name, content: after });
  }
  if (mode === 'socket-override' && ports !== null) {
    const name = SOCKET_OVERRIDE.slice(SOCKET_DROPIN_DIR.length + 1);
    const before = o.init.socketDropIns.find((d) => d.name === name);
    files.push({ path: SOCKET_OVERRIDE, before: before === undefined ? null : before.content ?? '', after: socketOverride(ports), mode: '0644' });
  }
  dropIns.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ports: ports ?? [], files, main, dropIns };
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return [...new Set(a)].sort().join(',') === [...new Set(b)].sort().join(',');
}

/** The mirrored ufw rules: for each rule that lets TCP to an old port in, the same for the new one. */
function ufwMirror(o: SshdObserved, oldPorts: readonly number[], newPort: number): { open: string[]; close: string[] } {
  if (!o.ufw.installed || !o.ufw.active) return { open: [], close: [] };
  const have = new Set(o.ufw.rules.map((r) => r.identity));
  const open: string[] = [];
  const close: string[] = [];
  for (const old of oldPorts) {
    if (old === newPort) continue;
    for (const r of o.ufw.rules) {
      const moved = movePortRule(r.identity, old, newPort);
      if (moved === null) continue;
      if (!have.has(moved) && !open.includes(moved)) open.push(moved);
      close.push(r.identity);
    }
  }
  return { open, close };
}

/** Everything the move needs, or null when the host is already as wanted. */
export function computeSshdPlan(w: SshdWanted, o: SshdObserved): SshdPlan | null {
  if (o.sshd === null) fail('sshd is not installed (openssh-server)');
  if (o.effective === null) fail(`the current configuration does not pass sshd -T: ${o.effectiveError ?? 'no output'}`);
  const mode = initMode(o);
  const current = o.ports.length > 0 ? o.ports : [22];
  const newPort = w.port ?? null;
  if (newPort !== null) {
    for (const text of [o.main.content ?? '', ...o.dropIns.map((d) => d.content ?? '')]) {
      const withPort = listenAddressPorts(text);
      if (withPort.length > 0) fail(`ListenAddress ${withPort[0]} names a port, which overrides Port: remove the port from it first`);
    }
    if (mode === 'socket-generator' || mode === 'socket-override') {
      const foreign = o.init.socketDropIns.find((d) => d.name !== SOCKET_OVERRIDE.slice(SOCKET_DROPIN_DIR.length + 1) && /^\s*ListenStream\s*=/m.test(d.content ?? ''));
      if (foreign !== undefined) fail(`${SOCKET_DROPIN_DIR}/${foreign.name} sets ListenStream: remove it, sparkbook manages the port through sshd_config`);
    }
  }
  const portMove = newPort !== null && !sameSet(current, [newPort]);
  const firstPorts = newPort === null ? null : portMove ? [...new Set([...current, newPort])].sort((a, b) => a - b) : [newPort];
  const first = phase(o, w, firstPorts, mode);
  const final = portMove ? phase(o, w, [newPort as number], mode) : null;
  const last = final ?? first;
  const filesChanged = last.files.some((f) => f.before !== f.after);
  // systemd may own other sockets too, so only the presence of the wanted port is telling.
  const notListening = newPort !== null && o.listening.length > 0 && !o.listening.includes(newPort);
  if (!portMove && !filesChanged && !notListening) return null;
  if (mode === 'pidfile' && o.init.pidfile === null) fail('cannot tell how sshd is started here (no ssh.socket, no ssh.service, no /run/sshd.pid)');
  const mirror = portMove ? ufwMirror(o, current, newPort as number) : { open: [], close: [] };
  return {
    init: mode,
    serviceUnit: o.init.serviceUnit,
    pidfile: o.init.pidfile,
    systemdTimer: o.init.systemdRunning && o.init.systemdRun,
    currentPorts: current,
    newPort,
    portMove,
    first,
    final,
    ufwOpen: mirror.open,
    ufwClose: mirror.close,
    confirmTimeoutS: w.confirmTimeoutS,
  };
}

function observedOf(before: string | null): ObservedFile {
  if (before === null) return MISSING_FILE;
  return { ...MISSING_FILE, exists: true, type: 'file', content: before };
}

/**
 * The plan as changes for the operator: ufw opens, file diffs (final state), the activation, ufw
 * closes. None has a script: the module's apply walks the plan itself (its private data), in the
 * lockout-safe order that a list of independent scripts could not keep.
 */
export function sshdChanges(plan: SshdPlan): Change[] {
  const changes: Change[] = [];
  for (const rule of plan.ufwOpen) changes.push({ action: '+', target: `ufw ${rule}`, summary: `ufw ${rule} (before the move)` });
  const last = plan.final ?? plan.first;
  for (const f of last.files) {
    if (f.before === f.after) continue;
    const [c] = planFile({ path: f.path, state: 'file', content: f.after, mode: f.before === null ? f.mode : undefined }, observedOf(f.before));
    if (c !== undefined) changes.push({ action: c.action, target: c.target, summary: c.summary, ...(c.diff ? { diff: c.diff } : {}) });
  }
  const how = plan.init === 'service' ? `reload ${plan.serviceUnit ?? 'ssh'}` : plan.init === 'pidfile' ? 'SIGHUP sshd' : 'daemon-reload, restart ssh.socket';
  const summary = plan.portMove
    ? `move SSH ${plan.currentPorts.join(',')} → ${plan.newPort}: validate, arm a ${plan.confirmTimeoutS}s rollback, listen on both, prove a fresh connection on ${plan.newPort}, then drop ${plan.currentPorts.filter((p) => p !== plan.newPort).join(',')} (${how})`
    : `apply the validated sshd configuration with a ${plan.confirmTimeoutS}s rollback and a fresh-connection proof (${how})`;
  changes.push({ action: '!', target: 'sshd', summary });
  for (const rule of plan.ufwClose) changes.push({ action: '-', target: `ufw ${rule}`, summary: `ufw delete ${rule} (after the move)` });
  return changes;
}

/** Managed keywords present in a text (for messages and tests). */
export function activeKeywords(text: string): string[] {
  return directives(text).map((d) => d.keyword);
}
