// The one-line, Terraform-style rendering of a change (`~ sysctl net.ipv4.ip_forward: 0 → 1`)
// that the plain, recap and JUnit reporters print.
import type { ChangeReport } from '../executor/events.js';
import { redact } from './redact.js';

/** `~ sysctl net.ipv4.ip_forward: 0 → 1`, secrets redacted. */
export function renderChangeLine(change: ChangeReport): string {
  const summary = change.summary.trim();
  // Summaries usually name their target already ("/etc/x: mode 0644 → 0600"): say it once. A
  // clipped target ("umask 022 && curl …") is named by a summary that holds its kept part.
  const named = change.target.endsWith('…') ? change.target.slice(0, -1) : change.target;
  if (summary && named && summary.includes(named)) return redact(`${change.action} ${summary}`);
  // "sysctl net.ipv4.ip_forward" + "net.ipv4.ip_forward: 0 → 1" → "sysctl net.ipv4.ip_forward: 0 → 1".
  const last = change.target.split(' ').pop() ?? '';
  if (last && summary.startsWith(`${last}: `)) return redact(`${change.action} ${change.target}: ${summary.slice(last.length + 2)}`);
  return redact(summary ? `${change.action} ${change.target}: ${summary}` : `${change.action} ${change.target}`);
}
