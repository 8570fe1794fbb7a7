// What the service module reads from systemd: `systemctl show` properties and is-enabled.
import { joinScripts, sh, type Script } from '../../runner/shell/script.js';
import { parseKeyEquals, parseSections, parseTagged, section, stringOrNull } from './parse.js';

export interface ObservedUnit {
  /** systemctl is on the PATH. */
  readonly systemctl: boolean;
  /** loaded, not-found, masked, error; null when systemd did not answer. */
  readonly loadState: string | null;
  /** active, inactive, failed, activating, deactivating, reloading. */
  readonly activeState: string | null;
  readonly subState: string | null;
  /** `systemctl is-enabled`, else UnitFileState: enabled, disabled, static, masked, … */
  readonly enabled: string | null;
  /** The unit file changed on disk since systemd loaded it. */
  readonly needDaemonReload: boolean | null;
}

const PROPERTIES = 'LoadState,ActiveState,SubState,UnitFileState,NeedDaemonReload';

export function unitProbeScript(unit: string): Script {
  return joinScripts([
    section('systemd', sh`if command -v systemctl >/dev/null 2>&1; then echo 'systemctl 1'; else echo 'systemctl 0'; fi`),
    section('show', sh`systemctl show -p ${PROPERTIES} -- ${unit} 2>/dev/null || :`),
    section('is-enabled', sh`systemctl is-enabled -- ${unit} 2>/dev/null || :`),
  ]);
}

/** Parses `systemctl show -p …` output (Key=Value lines) plus is-enabled's one word. */
export function parseUnit(stdout: string): ObservedUnit {
  const sections = parseSections(stdout);
  const show = parseKeyEquals(sections.get('show') ?? []);
  const isEnabled = stringOrNull((sections.get('is-enabled') ?? []).find((l) => l.trim() !== ''));
  const need = show.get('NeedDaemonReload');
  return {
    systemctl: parseTagged(sections.get('systemd') ?? []).get('systemctl') === '1',
    loadState: stringOrNull(show.get('LoadState')),
    activeState: stringOrNull(show.get('ActiveState')),
    subState: stringOrNull(show.get('SubState')),
    enabled: isEnabled ?? stringOrNull(show.get('UnitFileState')),
    needDaemonReload: need === 'yes' ? true : need === 'no' ? false : null,
  };
}
