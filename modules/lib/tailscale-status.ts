// What `tailscale status --json` and `tailscale debug prefs` say about a node, reduced to the
// fields the tailscale module compares. Parsing is total: bad JSON is a null, never a throw.
import { sh, type Script } from '../../runner/shell/script.js';
import { parseSections, section } from './parse.js';

export interface TailscaleObserved {
  readonly installed: boolean;
  /** NeedsLogin, NoState, Starting, Running, Stopped, NeedsMachineAuth; null: tailscaled did not answer. */
  readonly backendState: string | null;
  readonly hostName: string | null;
  /** Tags the node holds (Self.Tags). */
  readonly tags: readonly string[];
  readonly online: boolean | null;
  /** From `tailscale debug prefs` when available. */
  readonly prefs: {
    readonly hostname: string | null;
    readonly advertiseTags: readonly string[] | null;
    readonly acceptRoutes: boolean | null;
    readonly ssh: boolean | null;
    readonly controlUrl: string | null;
  } | null;
}

export const TAILSCALE_NOT_INSTALLED: TailscaleObserved = {
  installed: false,
  backendState: null,
  hostName: null,
  tags: [],
  online: null,
  prefs: null,
};

/**
 * Keeps only the prefs lines the module compares, on the host: whatever else `debug prefs`
 * prints (node state, and on some versions key material) never crosses the wire.
 */
export const PREFS_FILTER = [
  'BEGIN { keep = 0 }',
  'keep == 1 { print; if ($0 ~ /\\]/) keep = 0; next }',
  '/^[ \t]*"(ControlURL|RouteAll|RunSSH|Hostname)":/ { print; next }',
  '/^[ \t]*"AdvertiseTags":/ { print; if ($0 ~ /\\[/ && $0 !~ /\\]/) keep = 1 }',
].join('\n');

/** The read-only probe: sections `ts.installed`, `ts.status` (JSON), `ts.prefs` (JSON). */
export function tailscaleProbeScript(): Script {
  return sh`${section('ts.installed', sh`if command -v tailscale >/dev/null 2>&1; then echo yes; else echo no; fi`)}
if command -v tailscale >/dev/null 2>&1; then
${section('ts.status', sh`tailscale status --json 2>/dev/null || :`)}
${section('ts.prefs', sh`tailscale debug prefs 2>/dev/null | awk ${PREFS_FILTER} || :`)}
fi`;
}

function json(lines: readonly string[] | undefined): Record<string, unknown> | null {
  if (lines === undefined) return null;
  try {
    const value: unknown = JSON.parse(lines.join('\n'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const strings = (v: unknown): string[] | null => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null);

/** Parses the probe's output. */
export function parseTailscaleProbe(stdout: string): TailscaleObserved {
  const sections = parseSections(stdout);
  if ((sections.get('ts.installed') ?? [])[0]?.trim() !== 'yes') return TAILSCALE_NOT_INSTALLED;
  const status = json(sections.get('ts.status'));
  const self = status !== null && typeof status['Self'] === 'object' && status['Self'] !== null ? (status['Self'] as Record<string, unknown>) : {};
  const prefs = parsePrefsLines(sections.get('ts.prefs'));
  return {
    installed: true,
    backendState: str(status?.['BackendState']),
    hostName: str(self['HostName']),
    tags: strings(self['Tags']) ?? [],
    online: bool(self['Online']),
    prefs,
  };
}

/** The filtered `"Key": value,` lines of `tailscale debug prefs`; null when there are none. */
export function parsePrefsLines(lines: readonly string[] | undefined): TailscaleObserved['prefs'] {
  if (lines === undefined || lines.every((l) => l.trim() === '')) return null;
  const text = lines.join('\n');
  const scalar = (key: string): string | null => new RegExp(`"${key}":\\s*("(?:[^"\\\\]|\\\\.)*"|true|false|null)`).exec(text)?.[1] ?? null;
  const asString = (v: string | null): string | null => (v !== null && v.startsWith('"') ? str(JSON.parse(v) as unknown) : null);
  const asBool = (v: string | null): boolean | null => (v === 'true' ? true : v === 'false' ? false : null);
  const tagsBlock = /"AdvertiseTags":\s*(\[[^\]]*\]|null)/.exec(text)?.[1];
  let advertiseTags: string[] | null = null;
  if (tagsBlock !== undefined) {
    try {
      advertiseTags = strings(JSON.parse(tagsBlock) as unknown) ?? [];
    } catch {
      advertiseTags = null;
    }
  }
  return {
    hostname: asString(scalar('Hostname')),
    advertiseTags,
    acceptRoutes: asBool(scalar('RouteAll')),
    ssh: asBool(scalar('RunSSH')),
    controlUrl: asString(scalar('ControlURL')),
  };
}
