// The typed facts of one host, gathered by one script in one round trip (runner/facts/gather.ts).
// Every field a host cannot answer is null: a missing tool is a null fact, never a failure.

export interface AddressFact {
  readonly family: 'inet' | 'inet6';
  readonly address: string;
  readonly prefix: number;
  readonly scope: string;
  /**
   * Scope global and usable: not deprecated, not failed duplicate-address detection
   * (runner/facts/parse/ip-addr.ts). ULA and privacy addresses stay global but are flagged.
   */
  readonly global: boolean;
  /** An IPv6 unique local address (fc00::/7): global scope, yet not reachable from the internet. */
  readonly ula: boolean;
  /** An IPv6 privacy address (RFC 8981): global, but it rotates; never put it in a config. */
  readonly temporary: boolean;
  /** Its preferred lifetime ran out: kept for existing connections only. */
  readonly deprecated: boolean;
}

export interface InterfaceFact {
  readonly name: string;
  readonly mac: string | null;
  readonly up: boolean;
  readonly mtu: number | null;
  /** iproute2's link type: ether, loopback, none (tun, wireguard, tailscale), ... */
  readonly linkType: string | null;
  readonly addresses: readonly AddressFact[];
}

export interface UnitFact {
  readonly loadState: string | null;
  /** As `systemctl is-active` prints it: active, inactive, failed, ... */
  readonly activeState: string | null;
  /** As `systemctl is-enabled` prints it: enabled, disabled, static, masked, ... */
  readonly unitFileState: string | null;
  readonly listen: readonly string[];
}

export interface ListeningFact {
  readonly address: string;
  readonly port: number;
  readonly processes: readonly string[];
}

export interface UfwRuleFact {
  readonly to: string;
  readonly action: 'ALLOW' | 'DENY' | 'REJECT' | 'LIMIT';
  readonly direction: 'IN' | 'OUT' | 'FWD';
  readonly from: string;
  readonly v6: boolean;
  readonly comment: string | null;
}

export interface Facts {
  /** How sparkbook reached this host (filled in by the controller, not by the script). */
  readonly connection: {
    readonly transport: 'local' | 'ssh';
    readonly address: string;
    readonly port: number;
    readonly user: string;
  };
  readonly hostname: string | null;
  readonly fqdn: string | null;
  /** `uname -m`: aarch64 on a DGX Spark. */
  readonly arch: string | null;
  /** dpkg's architecture name: arm64 on a DGX Spark. */
  readonly dpkgArch: string | null;
  readonly os: {
    readonly id: string | null;
    readonly version: string | null;
    readonly codename: string | null;
    readonly pretty: string | null;
  };
  readonly kernel: string | null;
  readonly interfaces: readonly InterfaceFact[];
  readonly defaultRoute: {
    readonly interface: string;
    readonly gateway: string | null;
    /** The subnet of the default-route interface's first IPv4 address, e.g. 192.168.1.0/24. */
    readonly cidr: string | null;
    /** That IPv4 address itself (the route's `src` when it names one), e.g. 192.168.1.23. */
    readonly address: string | null;
  } | null;
  /** The preferred IPv6 default route, if any. */
  readonly defaultRoute6: {
    readonly interface: string;
    readonly gateway: string | null;
  } | null;
  readonly sshd: {
    readonly ports: readonly number[];
    readonly passwordAuthentication: string | null;
    readonly permitRootLogin: string | null;
    readonly pubkeyAuthentication: string | null;
    readonly kbdInteractiveAuthentication: string | null;
    readonly listenAddresses: readonly string[];
    /** Ubuntu 24.04 starts sshd from ssh.socket: ssh.socket is active. */
    readonly socketActivated: boolean;
    /** Every `sshd -T` keyword (lowercase) with all its values, in output order. */
    readonly settings: { readonly [keyword: string]: readonly string[] };
  } | null;
  /** The systemd units behind sshd (null without systemd or systemctl). */
  readonly sshUnits: {
    readonly socket: UnitFact | null;
    readonly service: UnitFact | null;
    /** ListenStream values of /run/systemd/generator/ssh.socket.d/addresses.conf; null: no such file. */
    readonly generatorListen: readonly string[] | null;
  } | null;
  /** TCP sockets in LISTEN state (`ss -ltnp`); null when ss is missing. */
  readonly listening: readonly ListeningFact[] | null;
  readonly ufw: {
    readonly active: boolean;
    /** Each rule row as `ufw status verbose` prints it, spacing collapsed. */
    readonly rules: readonly string[];
    /** Where `active` came from: `ufw status` (root) or ENABLED= in /etc/ufw/ufw.conf. */
    readonly source: 'status' | 'conf';
    readonly logging: string | null;
    readonly defaults: { readonly incoming: string | null; readonly outgoing: string | null; readonly routed: string | null } | null;
    readonly ruleTable: readonly UfwRuleFact[];
  } | null;
  readonly sysctl: {
    readonly ipv4Forward: number | null;
    readonly ipv6Forward: number | null;
  };
  /** null when there is no sign of WireGuard: no `wg`, no wireguard link, no /etc/wireguard config. */
  readonly wireguard: {
    /** Live WireGuard links. */
    readonly interfaces: readonly string[];
    /** wg-quick configurations in /etc/wireguard (wg0.conf → wg0), when readable. */
    readonly configs: readonly string[];
    readonly toolsInstalled: boolean;
  } | null;
  readonly tailscale: {
    readonly version: string | null;
    readonly backendState: string | null;
  } | null;
  readonly initSystem: string | null;
  readonly packageManager: string | null;
  readonly memoryMb: number | null;
  readonly cpus: number | null;
  /** /sys/class/dmi/id/product_name: "NVIDIA DGX Spark" on a Spark. */
  readonly productName: string | null;
  /** DMI product name matches /DGX.?Spark/i, or nvidia-smi lists a GB10 GPU (parse/gpu.ts). */
  readonly isDgxSpark: boolean;
  readonly gpus: readonly string[];
  readonly user: { readonly name: string | null; readonly uid: number | null };
}

/** Facts for a play with gather_facts: false: only what the controller knows. */
export function emptyFacts(connection: Facts['connection']): Facts {
  return {
    connection,
    hostname: null,
    fqdn: null,
    arch: null,
    dpkgArch: null,
    os: { id: null, version: null, codename: null, pretty: null },
    kernel: null,
    interfaces: [],
    defaultRoute: null,
    defaultRoute6: null,
    sshd: null,
    sshUnits: null,
    listening: null,
    ufw: null,
    sysctl: { ipv4Forward: null, ipv6Forward: null },
    wireguard: null,
    tailscale: null,
    initSystem: null,
    packageManager: null,
    memoryMb: null,
    cpus: null,
    productName: null,
    isDgxSpark: false,
    gpus: [],
    user: { name: null, uid: null },
  };
}
