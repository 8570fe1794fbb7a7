// The WireGuard server planner: directory 0700, a key generated ON the host when missing,
// the config (0600, no private key inside), and wg-quick@IFACE enabled and running.
import type { Change } from '../../runner/module.js';
import { rawShell, sh } from '../../runner/shell/script.js';
import { planFile } from './plan-file.js';
import { renderServerConfig, type WireguardServer } from './wireguard-config.js';
import type { WireguardObserved, WireguardPaths } from './wireguard-observe.js';

export interface WireguardWanted extends WireguardServer {
  readonly state: 'present' | 'absent';
  /** Enable and start wg-quick@IFACE (restart it when the config changes). */
  readonly service: boolean;
}

const NEEDS_WG = rawShell(
  "command -v wg >/dev/null 2>&1 || { echo 'sparkbook: wg is not installed: install it first (apt: { name: wireguard-tools })' >&2; exit 1; }",
);

/** The script that makes the key on the host: umask 077, never printed, never overwritten. */
export function generateKeyScript(keyPath: string): ReturnType<typeof sh> {
  return sh`(
set -e
umask 077
${NEEDS_WG}
k=${keyPath}
if [ -e "$k" ]; then exit 0; fi
t=$(mktemp -- "$k.XXXXXX")
trap 'rm -f -- "$t"' EXIT
wg genkey > "$t"
chown root:root -- "$t" 2>/dev/null || :
chmod 0600 -- "$t"
mv -f -T -- "$t" "$k"
trap - EXIT
)`;
}

function servicePlan(w: WireguardWanted, o: WireguardObserved, configChanged: boolean): Change[] {
  const iface = w.interface;
  const unit = `wg-quick@${iface}`;
  if (o.systemctl) {
    const out: Change[] = [];
    if (o.unitEnabled !== 'enabled') {
      out.push({ action: '!', target: unit, summary: `systemctl enable ${unit}`, script: sh`systemctl enable ${unit}` });
    }
    if (o.unitActive !== 'active') {
      out.push({ action: '!', target: unit, summary: `systemctl start ${unit}`, script: sh`systemctl start ${unit}` });
    } else if (configChanged) {
      out.push({ action: '!', target: unit, summary: `systemctl restart ${unit} (config changed)`, script: sh`systemctl restart ${unit}` });
    }
    return out;
  }
  // No systemd (containers, the lab): wg-quick directly.
  if (!o.linkUp) return [{ action: '!', target: `wg-quick ${iface}`, summary: `wg-quick up ${iface}`, script: sh`wg-quick up ${iface}` }];
  if (configChanged) {
    return [{ action: '!', target: `wg-quick ${iface}`, summary: `wg-quick down/up ${iface} (config changed)`, script: sh`wg-quick down ${iface}; wg-quick up ${iface}` }];
  }
  return [];
}

function planAbsent(w: WireguardWanted, o: WireguardObserved, paths: WireguardPaths): Change[] {
  const unit = `wg-quick@${w.interface}`;
  const out: Change[] = [];
  if (o.systemctl && (o.unitActive === 'active' || o.unitEnabled === 'enabled')) {
    out.push({ action: '!', target: unit, summary: `systemctl disable --now ${unit}`, script: sh`systemctl disable --now ${unit}` });
  } else if (!o.systemctl && o.linkUp) {
    out.push({ action: '!', target: `wg-quick ${w.interface}`, summary: `wg-quick down ${w.interface}`, script: sh`wg-quick down ${w.interface}` });
  }
  out.push(...planFile({ path: paths.config, state: 'absent' }, o.config));
  if (o.key.exists) out.push({ action: '-', target: paths.key, summary: `${paths.key}: remove the private key`, script: sh`rm -f -- ${paths.key}` });
  return out;
}

/** The changes that make the host a WireGuard server as wanted. */
export function planWireguard(w: WireguardWanted, o: WireguardObserved, paths: WireguardPaths): Change[] {
  if (w.state === 'absent') return planAbsent(w, o, paths);
  // Without wireguard-tools the plan is still made (in check mode the apt task that installs
  // them has not run yet); the scripts that need wg fail with an install hint.
  const changes: Change[] = [];
  changes.push(...planFile({ path: paths.dir, state: 'directory', mode: '0700', owner: 'root', group: 'root' }, o.dir));
  if (!o.key.exists) {
    changes.push({
      action: '+',
      target: paths.key,
      summary: `${paths.key}: generate the server private key on the host (wg genkey, umask 077; it never leaves the host)`,
      script: generateKeyScript(paths.key),
    });
  } else if (o.key.mode !== '0600' || (o.key.owner !== null && o.key.owner !== 'root')) {
    changes.push({
      action: '~',
      target: paths.key,
      summary: `${paths.key}: mode ${o.key.mode ?? '?'} → 0600, owner root`,
      script: sh`chown root:root -- ${paths.key} && chmod 0600 -- ${paths.key}`,
    });
  }
  const config = planFile({ path: paths.config, state: 'file', content: renderServerConfig(w), mode: '0600', owner: 'root', group: 'root' }, o.config);
  changes.push(...config);
  const contentChanged = config.some((c) => c.diff !== undefined) || !o.key.exists;
  if (w.service) changes.push(...servicePlan(w, o, contentChanged));
  return changes;
}
