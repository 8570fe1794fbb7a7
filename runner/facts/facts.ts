// The typed facts of one host, gathered by one script in one round trip (runner/facts/gather.ts).
// Every field a host cannot answer is null: a missing tool is a null fact, never a failure.

export interface AddressFact {
  readonly family: 'inet' | 'inet6';
  readonly address: string;
  readonly prefix: number;
  readonly scope: string;
  /** A routable address: for IPv6, a global-scope address that is exposed without NAT. */
  readonly global: boolean;
}

export interface InterfaceFact {
  readonly name: string;
  readonly mac: string | null;
  readonly up: boolean;
  readonly addresses: readonly AddressFact[];
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
  } | null;
  readonly sshd: {
    readonly ports: readonly number[];
    readonly passwordAuthentication: string | null;
    readonly permitRootLogin: string | null;
    readonly pubkeyAuthentication: string | null;
    /** Ubuntu 24.04 starts sshd from ssh.socket. */
    readonly socketActivated: boolean;
  } | null;
  readonly ufw: {
    readonly active: boolean;
    readonly rules: readonly string[];
  } | null;
  readonly sysctl: {
    readonly ipv4Forward: number | null;
    readonly ipv6Forward: number | null;
  };
  readonly wireguard: {
    readonly interfaces: readonly string[];
  } | null;
  readonly tailscale: {
    readonly version: string | null;
    readonly backendState: string | null;
  } | null;
  readonly initSystem: string | null;
  readonly packageManager: string | null;
  readonly memoryMb: number | null;
  readonly cpus: number | null;
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
    sshd: null,
    ufw: null,
    sysctl: { ipv4Forward: null, ipv6Forward: null },
    wireguard: null,
    tailscale: null,
    initSystem: null,
    packageManager: null,
    memoryMb: null,
    cpus: null,
    isDgxSpark: false,
    gpus: [],
    user: { name: null, uid: null },
  };
}
