// The `apt` module: Debian packages present, absent or latest, and a fresh enough cache. It is
// also Ansible's generic `package`, whose only backend here is apt: `package` passes its params
// to the host's package manager in Ansible too, so a `package` task is an apt task (plus `use`).
import { TaskError } from '../runner/errors.js';
import { defineModule, type Change } from '../runner/module.js';
import { rawShell, sh, type Script } from '../runner/shell/script.js';
import { aptProbeScript, isInstalled, parseApt, type ObservedApt } from './lib/apt-probe.js';

const PACKAGE = '^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?(=[A-Za-z0-9.+:~*-]+)?$';

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: {
      anyOf: [
        { type: 'string', pattern: PACKAGE },
        { type: 'array', items: { type: 'string', pattern: PACKAGE }, minItems: 1 },
      ],
      description:
        "A package or a list of packages. `name=VERSION` pins a version (a trailing * matches a prefix: 'curl=7.88*'); " +
        '`name:arch` picks an architecture. Virtual packages and globs are not supported.',
    },
    state: {
      type: 'string',
      enum: ['present', 'absent', 'latest'],
      default: 'present',
      description:
        'present: installed (any version unless pinned). absent: removed (see purge). ' +
        "latest: installed at apt's candidate version (from `apt-cache policy`; combine with update_cache to see new versions).",
    },
    update_cache: {
      type: 'boolean',
      // No schema default: the executor fills defaults before it checks, and a filled-in false
      // would satisfy the anyOf below that `sparkbook validate` applies to what the task says.
      description:
        '(default false) Run apt-get update first. Without cache_valid_time it runs every time (a `!` change); with it, only when the cache is older.',
    },
    cache_valid_time: {
      type: 'integer',
      minimum: 0,
      description:
        'Seconds: update the cache only when its last update (/var/lib/apt/periodic/update-success-stamp, else /var/lib/apt/lists) is older. Implies update_cache.',
    },
    install_recommends: {
      type: 'boolean',
      default: false,
      description: "Install recommended packages too. sparkbook's default is false (apt-get --no-install-recommends), unlike apt's.",
    },
    use: {
      type: 'string',
      enum: ['auto', 'apt'],
      description:
        "`package`'s choice of backend: auto (the default) or apt, the only one sparkbook has. A host without apt-get fails the task.",
    },
    purge: {
      type: 'boolean',
      default: false,
      description: 'state absent: also remove configuration files (apt-get purge); a package left with only its config files counts as present.',
    },
  },
  anyOf: [{ required: ['name'] }, { required: ['update_cache'] }, { required: ['cache_valid_time'] }],
  examples: [
    { name: ['wireguard', 'ufw'], update_cache: true, cache_valid_time: 3600 },
    { name: 'tailscale', state: 'latest' },
    { name: 'telnetd', state: 'absent', purge: true },
    { update_cache: true },
    { name: ['nvidia-container-toolkit', 'nvtop'], state: 'present', use: 'auto' },
  ],
} as const;

interface PackageSpec {
  /** As the user wrote it: passed to apt-get. */
  readonly spec: string;
  /** Name as dpkg-query takes it (may carry :arch). */
  readonly query: string;
  /** Name as dpkg reports ${Package}. */
  readonly name: string;
  readonly version: string | null;
}

function parseSpec(spec: string): PackageSpec {
  const eq = spec.indexOf('=');
  const query = eq < 0 ? spec : spec.slice(0, eq);
  return { spec, query, name: query.replace(/:[a-z0-9-]+$/, ''), version: eq < 0 ? null : spec.slice(eq + 1) };
}

function specsOf(name: string | readonly string[] | undefined): PackageSpec[] {
  if (name === undefined) return [];
  return (typeof name === 'string' ? [name] : [...name]).map(parseSpec);
}

function versionMatches(pattern: string, version: string): boolean {
  if (!pattern.endsWith('*')) return pattern === version;
  return version.startsWith(pattern.slice(0, -1));
}

const LOCK = rawShell('-o DPkg::Lock::Timeout=120');
const APT_GET = rawShell(
  'DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=120 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold',
);

function installScript(specs: readonly PackageSpec[], recommends: boolean): Script {
  const rec = rawShell(recommends ? '-o APT::Install-Recommends=true' : '--no-install-recommends');
  const downgrade = specs.some((s) => s.version !== null) ? rawShell(' --allow-downgrades') : rawShell('');
  return sh`${APT_GET} ${rec}${downgrade} install -- ${specs.map((s) => s.spec)}`;
}

function age(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86400)}d`;
}

function cacheChange(update: boolean, validTime: number | undefined, o: ObservedApt): Change[] {
  if (!update && validTime === undefined) return [];
  // The stamp is the one Ubuntu's own apt hook touches; touching it after a successful update
  // is what lets cache_valid_time converge when the mirror had nothing new.
  const script = sh`apt-get -q ${LOCK} update
mkdir -p /var/lib/apt/periodic
touch /var/lib/apt/periodic/update-success-stamp`;
  if (validTime === undefined) return [{ action: '!', target: 'apt cache', summary: 'apt cache: update', script }];
  const old = o.now === null || o.cacheUpdated === null ? null : o.now - o.cacheUpdated;
  if (old !== null && old <= validTime) return [];
  const words = old === null ? 'never updated' : `updated ${age(old)} ago`;
  return [{ action: '~', target: 'apt cache', summary: `apt cache: ${words} → update`, script }];
}

export const apt = defineModule<typeof schema, ObservedApt>({
  name: 'apt',
  aliases: ['ansible.builtin.apt', 'package', 'ansible.builtin.package'],
  summary: 'Install, upgrade or remove Debian packages with apt-get, and keep the package cache fresh.',
  schema,
  probe(params) {
    const specs = specsOf(params.name);
    return {
      script: aptProbeScript(
        specs.map((s) => s.query),
        params.state === 'latest',
      ),
      parse: (result) => parseApt(result.stdout),
    };
  },
  plan(params, o) {
    if (!o.aptGet) {
      throw new TaskError('module', 'apt: apt-get not found: this host does not use apt (apt and package support Debian and Ubuntu only)');
    }
    const specs = specsOf(params.name);
    const state = params.state ?? 'present';
    const changes = cacheChange(params.update_cache ?? false, params.cache_valid_time, o);
    const recommends = params.install_recommends ?? false;
    const installed = (s: PackageSpec): boolean => {
      const p = o.packages[s.name];
      return p !== undefined && isInstalled(p.status) && (s.version === null || versionMatches(s.version, p.version));
    };
    if (state === 'absent') {
      const purge = params.purge ?? false;
      const present = specs.filter((s) => {
        const p = o.packages[s.name];
        return p !== undefined && (isInstalled(p.status) || (purge && /config-files$/.test(p.status)));
      });
      if (present.length > 0) {
        const verb = purge ? 'purge' : 'remove';
        const names = present.map((s) => s.query);
        changes.push({
          action: '-',
          target: `apt ${names.join(' ')}`,
          summary: `apt ${verb} ${names.join(' ')}`,
          script: sh`${APT_GET} ${rawShell(verb)} -- ${names}`,
        });
      }
      return changes;
    }
    const missing = specs.filter((s) => !installed(s));
    if (missing.length > 0) {
      const names = missing.map((s) => s.spec);
      changes.push({
        action: '+',
        target: `apt ${names.join(' ')}`,
        summary: `apt install ${names.join(' ')}`,
        script: installScript(missing, recommends),
      });
    }
    if (state === 'latest') {
      const stale = specs.filter((s) => {
        if (!installed(s)) return false;
        const policy = o.policy[s.name];
        const have = o.packages[s.name]?.version;
        return policy !== undefined && policy.candidate !== null && policy.candidate !== have;
      });
      if (stale.length > 0) {
        const words = stale.map((s) => `${s.name} ${o.packages[s.name]?.version ?? '?'} → ${o.policy[s.name]?.candidate ?? '?'}`);
        changes.push({
          action: '~',
          target: `apt ${stale.map((s) => s.query).join(' ')}`,
          summary: `apt upgrade ${words.join(', ')}`,
          script: installScript(stale, recommends),
        });
      }
    }
    return changes;
  },
});
