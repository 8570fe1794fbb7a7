// What the apt module reads from a host: whether apt-get exists, the age of the package
// cache, dpkg's status of the named packages, and (for state latest) apt's candidates.
import { joinScripts, sh, type Script } from '../../runner/shell/script.js';
import { intOrNull, parseSections, parseTagged, section } from './parse.js';

export interface DpkgPackage {
  /** dpkg's status: "install ok installed", "deinstall ok config-files", … */
  readonly status: string;
  readonly version: string;
}

export interface AptPolicy {
  readonly installed: string | null;
  readonly candidate: string | null;
}

export interface ObservedApt {
  readonly aptGet: boolean;
  /** Seconds since the epoch on the host, and the newest of the cache's update times. */
  readonly now: number | null;
  readonly cacheUpdated: number | null;
  /** By package name (no architecture). Packages dpkg has never heard of are absent. */
  readonly packages: Readonly<Record<string, DpkgPackage>>;
  /** By package name; only probed for state latest. */
  readonly policy: Readonly<Record<string, AptPolicy>>;
}

/** The probe for `names` (dpkg names, possibly arch-qualified); policy only when asked. */
export function aptProbeScript(names: readonly string[], withPolicy: boolean): Script {
  const env = section(
    'apt',
    sh`if command -v apt-get >/dev/null 2>&1; then echo 'apt-get 1'; else echo 'apt-get 0'; fi
printf 'now %s\\n' "$(date +%s)"
if [ -e /var/lib/apt/periodic/update-success-stamp ]; then printf 'stamp %s\\n' "$(stat -c %Y /var/lib/apt/periodic/update-success-stamp)"; fi
if [ -d /var/lib/apt/lists ]; then printf 'lists %s\\n' "$(stat -c %Y /var/lib/apt/lists)"; fi`,
  );
  if (names.length === 0) return env;
  const dpkg = section('dpkg', sh`dpkg-query -W -f='\${Package}\\t\${Status}\\t\${Version}\\n' -- ${names} 2>/dev/null || :`);
  const policy = withPolicy ? [section('policy', sh`LC_ALL=C apt-cache policy -- ${names} 2>/dev/null || :`)] : [];
  return joinScripts([env, dpkg, ...policy]);
}

/** dpkg-query -W -f='${Package}\t${Status}\t${Version}\n' output. */
export function parseDpkgQuery(lines: readonly string[]): Record<string, DpkgPackage> {
  const out: Record<string, DpkgPackage> = {};
  for (const line of lines) {
    const [name, status, version] = line.split('\t');
    if (name === undefined || status === undefined || name === '') continue;
    const previous = out[name];
    // A multi-arch package has a line per architecture: an installed one wins.
    if (previous !== undefined && isInstalled(previous.status)) continue;
    out[name] = { status, version: version ?? '' };
  }
  return out;
}

/** `LC_ALL=C apt-cache policy NAMES` output: the Installed and Candidate of each package. */
export function parseAptPolicy(lines: readonly string[]): Record<string, AptPolicy> {
  const out: Record<string, AptPolicy> = {};
  let name: string | null = null;
  let installed: string | null = null;
  let candidate: string | null = null;
  const flush = (): void => {
    if (name !== null) out[name.replace(/:[a-z0-9-]+$/, '')] = { installed, candidate };
  };
  for (const line of lines) {
    const head = /^(\S+):$/.exec(line);
    if (head) {
      flush();
      name = head[1] as string;
      installed = null;
      candidate = null;
      continue;
    }
    const field = /^\s+(Installed|Candidate):\s*(\S+)\s*$/.exec(line);
    if (field && name !== null) {
      const value = field[2] === '(none)' ? null : (field[2] as string);
      if (field[1] === 'Installed') installed = value;
      else candidate = value;
    }
  }
  flush();
  return out;
}

/** dpkg's status word says the package is unpacked and configured. */
export function isInstalled(status: string): boolean {
  return /\sinstalled$/.test(status);
}

export function parseApt(stdout: string): ObservedApt {
  const sections = parseSections(stdout);
  const tags = parseTagged(sections.get('apt') ?? []);
  const times = [intOrNull(tags.get('stamp')), intOrNull(tags.get('lists'))].filter((t): t is number => t !== null);
  return {
    aptGet: tags.get('apt-get') === '1',
    now: intOrNull(tags.get('now')),
    cacheUpdated: times.length === 0 ? null : Math.max(...times),
    packages: parseDpkgQuery(sections.get('dpkg') ?? []),
    policy: parseAptPolicy(sections.get('policy') ?? []),
  };
}
