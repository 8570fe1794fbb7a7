// Installs the Debian packages the lab runs on this machine, only those missing (CI starts from a fresh machine).
import { execArgv, mustRun } from './exec.js';

/** What `up` needs for containers; VMs add VM_PACKAGES. */
export const CONTAINER_PACKAGES: readonly string[] = [
  'debootstrap', // the base rootfs
  'systemd-container', // systemd-nspawn
  'apt-utils', // apt-ftparchive, for the signed Release files of the lab repo
  'dpkg-dev', // dpkg-scanpackages
  'gnupg', // signing the lab repo
  'iproute2', // bridge, veth
  'openssh-client', // ssh-keygen for host and user keys; the e2e tests' ssh
  'iptables', // the isolation test reads this machine's rules
];

export const VM_PACKAGES: readonly string[] = [
  'qemu-system-arm',
  'qemu-user-static',
  'binfmt-support',
  'qemu-utils',
  'busybox-static',
  'cpio',
  'e2fsprogs',
  'kmod', // depmod for the VM's kernel modules
];

export async function missingPackages(packages: readonly string[]): Promise<string[]> {
  const r = await execArgv(['dpkg-query', '-W', '-f', '${Package} ${db:Status-Status}\n', ...packages]);
  const installed = new Set(
    r.stdout
      .split('\n')
      .filter((l) => l.endsWith(' installed'))
      .map((l) => l.split(' ')[0]),
  );
  return packages.filter((p) => !installed.has(p));
}

/** apt-get install of whatever is missing (non-interactive; `apt-get update` first, as a fresh machine's lists are stale). */
export async function ensurePackages(packages: readonly string[], log: (line: string) => void): Promise<void> {
  const missing = await missingPackages(packages);
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await mustRun(['apt-get', 'update', '-qq'], { env });
  await mustRun(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}
