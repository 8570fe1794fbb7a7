// The kinds of host a lab holds and how a lab's N containers and M VMs are laid out: names, addresses, sshd, users.

/** How a host's sshd and firewall are set up before any test touches it. */
export type Variant = 'service' | 'socket' | 'ufw-altport';
export type HostKind = 'container' | 'vm';
export type LabUser = 'root' | 'spark';

export interface VariantSpec {
  /** The unit that owns port 22 (or `port`): Debian's default ssh.service, or ssh.socket as Ubuntu 24.04 ships. */
  readonly sshUnit: 'ssh.service' | 'ssh.socket';
  readonly port: number;
  /** ufw active with `default deny incoming` and only `port`/tcp allowed. */
  readonly ufw: boolean;
  /** Inventory groups the variant puts a host in, besides `containers`/`vms`. */
  readonly groups: readonly string[];
}

export const VARIANTS: Readonly<Record<Variant, VariantSpec>> = {
  service: { sshUnit: 'ssh.service', port: 22, ufw: false, groups: ['service_sshd'] },
  socket: { sshUnit: 'ssh.socket', port: 22, ufw: false, groups: ['socket_activated'] },
  'ufw-altport': { sshUnit: 'ssh.service', port: 2222, ufw: true, groups: ['service_sshd', 'ufw_active', 'alt_port'] },
};

/** Containers cycle through the variants in this order, so any 3 consecutive hosts cover all of them. */
export const CONTAINER_VARIANTS: readonly Variant[] = ['service', 'socket', 'ufw-altport'];

/** The password of `spark` on every host (sudo asks for it): the inventory's ansible_become_password. */
export const SPARK_PASSWORD = 'spark-pass';

/** Containers alongside VMs: .11–.99, below the VMs' .101 and up. */
export const MAX_CONTAINERS = 89;
/** Containers in a lab without VMs (a benchmark's 100 hosts): .11–.250. */
export const MAX_CONTAINERS_ONLY = 240;
export const MAX_VMS = 99;

export interface HostPlan {
  readonly name: string;
  readonly kind: HostKind;
  readonly variant: Variant;
  readonly address: string;
  readonly port: number;
  readonly user: LabUser;
}

/**
 * Lays out hosts on the lab subnet `prefix` (e.g. "10.77.3"): containers ct01.. at .11.., VMs vm01.. at .101..
 * (a lab without VMs may hold up to MAX_CONTAINERS_ONLY containers, up to .250).
 * Containers of the `service` variant log in as root; the others (and every VM) as `spark` with sudo, as on a Spark.
 */
export function planHosts(prefix: string, containers: number, vms: number): HostPlan[] {
  const maxContainers = vms > 0 ? MAX_CONTAINERS : MAX_CONTAINERS_ONLY;
  if (!Number.isInteger(containers) || containers < 0 || containers > maxContainers) {
    throw new RangeError(`containers must be an integer in 0..${maxContainers}${vms > 0 ? ' next to VMs' : ''}, got ${containers}`);
  }
  if (!Number.isInteger(vms) || vms < 0 || vms > MAX_VMS) {
    throw new RangeError(`vms must be an integer in 0..${MAX_VMS}, got ${vms}`);
  }
  const hosts: HostPlan[] = [];
  for (let i = 1; i <= containers; i++) {
    const variant = CONTAINER_VARIANTS[(i - 1) % CONTAINER_VARIANTS.length] ?? 'service';
    hosts.push({
      name: `ct${pad(i)}`,
      kind: 'container',
      variant,
      address: `${prefix}.${10 + i}`,
      port: VARIANTS[variant].port,
      user: variant === 'service' ? 'root' : 'spark',
    });
  }
  for (let i = 1; i <= vms; i++) {
    hosts.push({ name: `vm${pad(i)}`, kind: 'vm', variant: 'service', address: `${prefix}.${100 + i}`, port: 22, user: 'spark' });
  }
  return hosts;
}

function pad(i: number): string {
  return String(i).padStart(2, '0');
}
