// Parses `ufw status verbose` (and plain `ufw status`): state, logging, default policies and
// the rules table, IPv6 rows ("(v6)") included; and /etc/ufw/ufw.conf's ENABLED= for non-root.

export interface UfwRule {
  /** The "To" column without its " (v6)" suffix: "22/tcp", "Anywhere on tailscale0", "OpenSSH". */
  readonly to: string;
  readonly action: 'ALLOW' | 'DENY' | 'REJECT' | 'LIMIT';
  /** IN, OUT or FWD (routed); plain `ufw status` prints IN rules without a direction. */
  readonly direction: 'IN' | 'OUT' | 'FWD';
  readonly from: string;
  readonly v6: boolean;
  readonly comment: string | null;
  /** The row as ufw printed it, spacing collapsed. */
  readonly text: string;
}

export interface UfwStatus {
  readonly active: boolean;
  readonly logging: string | null;
  readonly defaults: { readonly incoming: string | null; readonly outgoing: string | null; readonly routed: string | null } | null;
  readonly rules: UfwRule[];
}

const RULE = /^(.+?)\s+(ALLOW|DENY|REJECT|LIMIT)(?: (IN|OUT|FWD))?(?: \(log(?:-all)?\))?\s+(.+?)(?:\s+# (.*))?$/;
const V6 = / \(v6\)/;

/** null when the text has no `Status:` line (not ufw's output: an error, or nothing). */
export function parseUfwStatus(text: string): UfwStatus | null {
  const lines = text.split('\n').map((l) => l.trimEnd());
  const status = lines.map((l) => /^Status: (\w+)/.exec(l)).find((m) => m !== null);
  if (status === undefined || status === null) return null;
  const logging = lines.map((l) => /^Logging: (.+)$/.exec(l)?.[1]).find((v) => v !== undefined) ?? null;
  const defaultsLine = lines.map((l) => /^Default: (.+)$/.exec(l)?.[1]).find((v) => v !== undefined);
  let defaults: UfwStatus['defaults'] = null;
  if (defaultsLine !== undefined) {
    const policy = (dir: string): string | null => new RegExp(`(\\w+) \\(${dir}\\)`).exec(defaultsLine)?.[1] ?? null;
    defaults = { incoming: policy('incoming'), outgoing: policy('outgoing'), routed: policy('routed') };
  }
  const rules: UfwRule[] = [];
  const header = lines.findIndex((l) => /^--\s+------\s+----/.test(l));
  if (header >= 0) {
    for (const line of lines.slice(header + 1)) {
      const m = RULE.exec(line);
      if (m === null) continue;
      const [, toRaw = '', action = 'ALLOW', direction = 'IN', fromRaw = '', comment] = m;
      const v6 = V6.test(toRaw) || V6.test(fromRaw);
      rules.push({
        to: toRaw.replace(V6, ''),
        action: action as UfwRule['action'],
        direction: direction as UfwRule['direction'],
        from: fromRaw.replace(V6, ''),
        v6,
        comment: comment ?? null,
        text: line.replace(/\s{2,}/g, ' ').trim(),
      });
    }
  }
  return { active: status[1] === 'active', logging, defaults, rules };
}

/** `ENABLED=yes` in /etc/ufw/ufw.conf: ufw starts at boot, i.e. it is active. null if absent. */
export function parseUfwConf(text: string): boolean | null {
  const m = /^ENABLED=["']?(\w+)["']?\s*$/m.exec(text);
  return m === null ? null : m[1] === 'yes';
}
