// Everything needed to open one host's connection, after ssh config, ssh args and inventory vars are merged.
import type { Secret } from '../shell/secret.js';

export type HostKeyPolicy = 'strict' | 'accept-new';

/** One ProxyJump hop, with its own resolved settings (its own ssh config, key and known name). */
export interface JumpHop {
  /** As written (`user@bastion:2222`), for messages. */
  readonly spec: string;
  /** The name it is known by (the alias), for host-key lookup. */
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly identityFiles: readonly string[];
  readonly identitiesOnly: boolean;
}

export interface ConnectionSettings {
  /** The inventory name. */
  readonly host: string;
  readonly transport: 'local' | 'ssh';
  readonly address: string;
  readonly port: number;
  readonly user: string;
  /** Private key files to try, in order (inventory key, `-i`, IdentityFile, then defaults). */
  readonly identityFiles: readonly string[];
  /** Only the identity files: no agent keys. */
  readonly identitiesOnly: boolean;
  /** The ssh-agent socket (SSH_AUTH_SOCK or IdentityAgent), if any. */
  readonly agentSocket?: string;
  /** Password authentication, only when the inventory sets a password. */
  readonly password?: Secret;
  /** Passphrase for encrypted keys (SPARKBOOK_KEY_PASSPHRASE). */
  readonly keyPassphrase?: Secret;
  /** Asked for an encrypted key's passphrase when none is set (the CLI's prompt). */
  readonly askPassphrase?: (keyFile: string) => Promise<Secret | undefined>;
  /** Files read for host keys; the first is where accept-new writes. */
  readonly knownHostsFiles: readonly string[];
  readonly globalKnownHostsFiles: readonly string[];
  readonly hostKeyPolicy: HostKeyPolicy;
  /** Names the host's key may be listed under besides the address (inventory name, HostName, HostKeyAlias). */
  readonly hostKeyAliases: readonly string[];
  readonly connectTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly keepaliveCountMax: number;
  /** Per-command default timeout (`--timeout`); RunOptions.timeoutMs wins. */
  readonly commandTimeoutMs?: number;
  readonly maxSessions: number;
  readonly proxyJump: readonly JumpHop[];
  readonly become: { readonly enabled: boolean; readonly user: string; readonly password?: Secret };
  /** What was ignored or overridden, for `validate` and verbose output. */
  readonly notes: readonly string[];
}
