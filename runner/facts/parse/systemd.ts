// Parses `systemctl show UNIT... -p Id -p LoadState -p ActiveState -p UnitFileState -p Listen`
// (one Key=value block per unit, blocks split by a blank line) and the ssh.socket drop-in that
// Ubuntu's sshd-socket-generator writes from Port/ListenAddress.

export interface UnitState {
  readonly id: string;
  /** loaded, not-found, masked, ... */
  readonly loadState: string | null;
  /** active, inactive, failed, activating, ... (what `systemctl is-active` prints). */
  readonly activeState: string | null;
  /** enabled, disabled, static, masked, ... (what `systemctl is-enabled` prints); null if none. */
  readonly unitFileState: string | null;
  /** A socket's listen addresses: "[::]:22", "0.0.0.0:2222". */
  readonly listen: string[];
}

export function parseSystemctlShow(text: string): Map<string, UnitState> {
  const units = new Map<string, UnitState>();
  for (const block of text.split(/\n\s*\n/)) {
    const props = new Map<string, string>();
    const listen: string[] = [];
    for (const line of block.split('\n')) {
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1);
      // `Listen=[::]:22 (Stream)`, one line per socket.
      if (key === 'Listen') {
        const m = /^(.*) \((\w+)\)$/.exec(value);
        if (value !== '') listen.push(m?.[1] ?? value);
      } else props.set(key, value);
    }
    const id = props.get('Id');
    if (id === undefined || id === '') continue;
    const get = (k: string): string | null => {
      const v = props.get(k);
      return v === undefined || v === '' ? null : v;
    };
    units.set(id, { id, loadState: get('LoadState'), activeState: get('ActiveState'), unitFileState: get('UnitFileState'), listen });
  }
  return units;
}

/** The ListenStream values that take effect in a socket drop-in (an empty one resets the list). */
export function parseListenStreams(text: string): string[] {
  let out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*ListenStream\s*=\s*(.*?)\s*$/.exec(line);
    if (m === null) continue;
    if (m[1] === '') out = [];
    else out.push(m[1] ?? '');
  }
  return out;
}
