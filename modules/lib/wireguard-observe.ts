// What a host's WireGuard server is: tools present, /etc/wireguard, whether the key file exists
// (mode only: its content is never read), the PUBLIC key derived on the host, the config text,
// and the wg-quick unit. Nothing here prints a private key (no `wg showconf`, no `wg show dump`).
import { sh, type Script } from '../../runner/shell/script.js';
import { parseSections, parseTagged, section } from './parse.js';
import { SMALL_CONTENT_BYTES, parseObservedFile, statScript, type ObservedFile } from './probe-file.js';
import { isWireguardKey } from './wireguard-keys.js';

export interface WireguardObserved {
  readonly wg: boolean;
  readonly wgQuick: boolean;
  readonly systemctl: boolean;
  readonly dir: ObservedFile;
  readonly key: { readonly exists: boolean; readonly mode: string | null; readonly owner: string | null };
  /** Derived on the host by `wg pubkey`; null when there is no key or it is unreadable. */
  readonly publicKey: string | null;
  readonly config: ObservedFile;
  /** `systemctl is-enabled` / `is-active` of wg-quick@IFACE; null without systemctl. */
  readonly unitEnabled: string | null;
  readonly unitActive: string | null;
  /** The network interface exists (`ip link show IFACE`). */
  readonly linkUp: boolean;
}

export interface WireguardPaths {
  readonly interface: string;
  readonly dir: string;
  readonly config: string;
  readonly key: string;
}

/** The read-only probe. The key's content stays on the host: only `wg pubkey` reads it. */
export function wireguardProbeScript(p: WireguardPaths): Script {
  const unit = `wg-quick@${p.interface}`;
  const tools = sh`for t in wg wg-quick systemctl; do if command -v "$t" >/dev/null 2>&1; then echo "$t 1"; else echo "$t 0"; fi; done
k=${p.key}
if [ -f "$k" ]; then
  echo 'key 1'
  stat -c 'keymode %a' -- "$k" 2>/dev/null || :
  stat -c 'keyowner %U' -- "$k" 2>/dev/null || :
  if command -v wg >/dev/null 2>&1; then printf 'pubkey %s\\n' "$(wg pubkey < "$k" 2>/dev/null)"; fi
else
  echo 'key 0'
fi
if command -v systemctl >/dev/null 2>&1; then
  printf 'enabled %s\\n' "$(systemctl is-enabled ${unit} 2>/dev/null)"
  printf 'active %s\\n' "$(systemctl is-active ${unit} 2>/dev/null)"
fi
if ip link show dev ${p.interface} >/dev/null 2>&1; then echo 'link 1'; else echo 'link 0'; fi`;
  return sh`${section('wg.state', tools)}
${section('wg.dir', statScript(p.dir, 0))}
${section('wg.config', statScript(p.config, SMALL_CONTENT_BYTES))}`;
}

/** Parses the probe's output. Total: anything missing is false or null. */
export function parseWireguardProbe(stdout: string): WireguardObserved {
  const sections = parseSections(stdout);
  const t = parseTagged(sections.get('wg.state') ?? []);
  const mode = t.get('keymode');
  const pub = t.get('pubkey')?.trim() ?? '';
  return {
    wg: t.get('wg') === '1',
    wgQuick: t.get('wg-quick') === '1',
    systemctl: t.get('systemctl') === '1',
    dir: parseObservedFile(sections.get('wg.dir')),
    key: {
      exists: t.get('key') === '1',
      mode: mode !== undefined && /^[0-7]{1,4}$/.test(mode) ? mode.padStart(4, '0') : null,
      owner: t.get('keyowner')?.trim() || null,
    },
    publicKey: isWireguardKey(pub) ? pub : null,
    config: parseObservedFile(sections.get('wg.config')),
    unitEnabled: t.get('enabled')?.trim() || null,
    unitActive: t.get('active')?.trim() || null,
    linkUp: t.get('link') === '1',
  };
}
