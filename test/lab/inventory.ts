// Renders a lab's inventory (YAML and INI, usable unchanged by sparkbook and by Ansible) and its known_hosts file.
import { VARIANTS, SPARK_PASSWORD, type HostKind, type LabUser, type Variant } from './variants.js';

export interface InventoryHost {
  readonly name: string;
  readonly kind: HostKind;
  readonly variant: Variant;
  readonly address: string;
  readonly port: number;
  readonly user: LabUser;
}

export interface InventoryInput {
  readonly lab: string;
  readonly hosts: readonly InventoryHost[];
  readonly privateKey: string;
  readonly knownHosts: string;
  /** http://GATEWAY:PORT — the lab repo server. */
  readonly repoBase: string;
}

/** Ports every host's keys are listed under in known_hosts: the lab's two sshd ports, so a moved sshd is still known. */
export const KNOWN_PORTS: readonly number[] = [22, 2222];

/** Inventory groups below `lab`, in the order they are written. */
export function hostGroups(h: InventoryHost): string[] {
  const groups = [h.kind === 'container' ? 'containers' : 'vms', ...VARIANTS[h.variant].groups];
  groups.push(h.user === 'root' ? 'user_root' : 'user_spark');
  return groups;
}

const GROUP_ORDER = ['containers', 'vms', 'service_sshd', 'socket_activated', 'ufw_active', 'alt_port', 'user_root', 'user_spark'];

function labVars(input: InventoryInput): [string, string][] {
  return [
    ['ansible_ssh_private_key_file', input.privateKey],
    ['ansible_ssh_common_args', `-o UserKnownHostsFile=${input.knownHosts} -o StrictHostKeyChecking=yes`],
    ['ansible_python_interpreter', '/usr/bin/python3'],
    ['lab_name', input.lab],
    ['lab_known_hosts_file', input.knownHosts],
    ['lab_repo_url', `${input.repoBase}/debian`],
    ['lab_repo_key_url', `${input.repoBase}/keys/lab.gpg`],
    ['lab_tailscale_repo_url', `${input.repoBase}/tailscale-standin/stable/debian`],
    ['lab_tailscale_key_url', `${input.repoBase}/tailscale-standin/stable/debian/bookworm.noarmor.gpg`],
  ];
}

function hostVars(h: InventoryHost): [string, string | number][] {
  const vars: [string, string | number][] = [
    ['ansible_host', h.address],
    ['ansible_port', h.port],
    ['ansible_user', h.user],
  ];
  if (h.user !== 'root') vars.push(['ansible_become_password', SPARK_PASSWORD]);
  vars.push(['lab_kind', h.kind], ['lab_variant', h.variant]);
  return vars;
}

function header(input: InventoryInput): string {
  return (
    `# sparkbook test lab "${input.lab}": written by \`npm run lab -- up\`, removed by \`npm run lab -- down\`.\n` +
    `# Test hosts only: containers are systemd-nspawn (amd64), vms are qemu-system-aarch64. Users: root by key, or\n` +
    `# spark by key with sudo (password ${SPARK_PASSWORD}). Host keys: lab_known_hosts_file. Do not edit.\n`
  );
}

function groupMembers(input: InventoryInput): Map<string, string[]> {
  const members = new Map<string, string[]>(GROUP_ORDER.map((g) => [g, []]));
  for (const h of input.hosts) for (const g of hostGroups(h)) members.get(g)?.push(h.name);
  return members;
}

const q = (s: string | number): string => (typeof s === 'number' ? String(s) : JSON.stringify(s));

export function renderYaml(input: InventoryInput): string {
  const out: string[] = [header(input).trimEnd(), 'all:', '  children:', '    lab:', '      vars:'];
  for (const [k, v] of labVars(input)) out.push(`        ${k}: ${q(v)}`);
  out.push('      children:');
  const byName = new Map(input.hosts.map((h) => [h.name, h]));
  for (const [group, names] of groupMembers(input)) {
    out.push(`        ${group}:`);
    if (names.length === 0) {
      out.push('          hosts: {}');
      continue;
    }
    out.push('          hosts:');
    for (const n of names) {
      const h = byName.get(n);
      // A host's variables are written once, under its kind; the other groups only name it.
      if (h && (group === 'containers' || group === 'vms')) {
        out.push(`            ${n}:`);
        for (const [k, v] of hostVars(h)) out.push(`              ${k}: ${q(v)}`);
      } else {
        out.push(`            ${n}: {}`);
      }
    }
  }
  return out.join('\n') + '\n';
}

/** INI values: single-quoted when they hold a space (Ansible reads them as Python literals). */
const iniValue = (v: string | number): string => (typeof v === 'number' || /^[^\s'"#;]+$/.test(v) ? String(v) : `'${v}'`);

export function renderIni(input: InventoryInput): string {
  const out: string[] = [header(input).replace(/^# /gm, '; ').trimEnd(), ''];
  const byName = new Map(input.hosts.map((h) => [h.name, h]));
  for (const [group, names] of groupMembers(input)) {
    out.push(`[${group}]`);
    for (const n of names) {
      const h = byName.get(n);
      if (h && (group === 'containers' || group === 'vms')) {
        out.push([n, ...hostVars(h).map(([k, v]) => `${k}=${iniValue(v)}`)].join(' '));
      } else {
        out.push(n);
      }
    }
    out.push('');
  }
  out.push('[lab:children]', ...GROUP_ORDER, '');
  out.push('[lab:vars]', ...labVars(input).map(([k, v]) => `${k}=${iniValue(v)}`), '');
  return out.join('\n');
}

export interface KnownHostEntry {
  readonly address: string;
  /** "type base64" lines (comments are dropped). */
  readonly keys: readonly string[];
}

/** One line per key, naming the address on port 22 and as [address]:2222. */
export function renderKnownHosts(entries: readonly KnownHostEntry[]): string {
  const lines: string[] = [];
  for (const e of entries) {
    const names = KNOWN_PORTS.map((p) => (p === 22 ? e.address : `[${e.address}]:${p}`)).join(',');
    for (const k of e.keys) {
      const [type, blob] = k.trim().split(/\s+/);
      if (type && blob) lines.push(`${names} ${type} ${blob}`);
    }
  }
  return lines.join('\n') + '\n';
}
