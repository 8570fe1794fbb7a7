// The executor's HostAccess for the CLI: connection settings from ssh config, ssh args and
// inventory vars (loaded once for all hosts), then one connection per host and one facts script.
import { InputError } from '../errors.js';
import { openConnection, resolveConnectionSettings, type ConnectionDefaults, type ConnectionSettings, type HostKeyPolicy } from '../connection/resolve.js';
import { gatherFacts } from '../facts/gather.js';
import { loadSshConfig } from '../connection/ssh-config.js';
import type { HostAccess } from '../executor/options.js';
import type { Secret } from '../shell/secret.js';

export function hostKeyPolicyOption(value: string | undefined): HostKeyPolicy {
  if (value === undefined || value === 'strict') return 'strict';
  if (value === 'accept-new') return 'accept-new';
  throw new InputError('usage', `--host-key-policy must be strict or accept-new, got '${value}'`);
}

export interface HostAccessOptions {
  readonly hostKeyPolicy: HostKeyPolicy;
  readonly knownHostsPath?: string;
  readonly sshConfigPath?: string;
  readonly connectTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
  readonly becomePassword?: Secret;
  readonly env: NodeJS.ProcessEnv;
  /** -e values: they win over inventory vars for connection settings too (-e ansible_port=2222), as in Ansible. */
  readonly extraVars?: Readonly<Record<string, unknown>>;
  /** Asks for an encrypted key's passphrase (a terminal prompt); absent without a terminal. */
  readonly askPassphrase?: (keyFile: string) => Promise<Secret | undefined>;
  /** -u, --private-key, -k, ansible.cfg: below each host's inventory vars. */
  readonly defaults?: ConnectionDefaults;
  /** Told each host's resolved settings before it is contacted (-vvv prints them). */
  readonly onResolved?: (settings: ConnectionSettings) => void;
}

export function createHostAccess(options: HostAccessOptions): HostAccess {
  // Loaded once, and before any host is contacted: a malformed ssh config is bad input (exit 2).
  const sshConfig = loadSshConfig(options.sshConfigPath);
  return {
    open: async (host) => {
      const settings = resolveConnectionSettings(host.name, { ...host.vars, ...options.extraVars }, {
        sshConfig,
        hostKeyPolicy: options.hostKeyPolicy,
        env: options.env,
        ...(options.knownHostsPath !== undefined ? { knownHostsPath: options.knownHostsPath } : {}),
        ...(options.connectTimeoutMs !== undefined ? { timeoutMs: options.connectTimeoutMs } : {}),
        ...(options.commandTimeoutMs !== undefined ? { commandTimeoutMs: options.commandTimeoutMs } : {}),
        ...(options.becomePassword ? { becomePassword: options.becomePassword } : {}),
        ...(options.askPassphrase ? { askPassphrase: options.askPassphrase } : {}),
        ...(options.defaults ? { defaults: options.defaults } : {}),
      });
      options.onResolved?.(settings);
      return openConnection(host.name, settings);
    },
    gather: (connection, becomeUser, groups) => gatherFacts(connection, { groups, ...(becomeUser ? { becomeUser } : {}) }),
  };
}
