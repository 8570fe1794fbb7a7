// The module registry: an explicit list (no registration by import side effect), so what
// sparkbook can run is greppable here.
import type { AnyModule } from '../runner/module.js';
import { apt } from './apt.js';
import { assert } from './assert.js';
import { command } from './command.js';
import { debug } from './debug.js';
import { file } from './file.js';
import { line } from './line.js';
import { service } from './service.js';
import { sshd_config } from './sshd_config.js';
import { sysctl } from './sysctl.js';
import { tailscale } from './tailscale.js';
import { ufw } from './ufw.js';
import { wireguard } from './wireguard.js';

/**
 * Erases a module's type parameters. defineModule already checked each module against the
 * contract; checking Module<S, O> against Module<any, any> again makes tsc expand every schema.
 */
function erase(module: { readonly name: string; readonly summary: string }): AnyModule {
  return module as AnyModule;
}

export const modules: readonly AnyModule[] = [
  erase(apt),
  erase(assert),
  erase(command),
  erase(debug),
  erase(file),
  erase(line),
  erase(service),
  erase(sshd_config),
  erase(sysctl),
  erase(tailscale),
  erase(ufw),
  erase(wireguard),
];

const byName = new Map<string, AnyModule>(modules.map((m) => [m.name, m]));

/** The module whose YAML key is `name`. */
export function findModule(name: string): AnyModule | undefined {
  return byName.get(name);
}

// Control-machine helpers the CLI needs (`sparkbook wg client`): pure, no host I/O.
export { generateWireguardKeyPair } from './lib/wireguard-keys.js';
export { renderClientConfig } from './lib/wireguard-config.js';
