// The module registry: an explicit list (no registration by import side effect), so what
// sparkbook can run is greppable here.
import { eraseModule, type AnyModule } from '../runner/module.js';
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

export const modules: readonly AnyModule[] = [
  eraseModule(apt),
  eraseModule(assert),
  eraseModule(command),
  eraseModule(debug),
  eraseModule(file),
  eraseModule(line),
  eraseModule(service),
  eraseModule(sshd_config),
  eraseModule(sysctl),
  eraseModule(tailscale),
  eraseModule(ufw),
  eraseModule(wireguard),
];

const byName = new Map<string, AnyModule>(modules.map((m) => [m.name, m]));

/** The module whose YAML key is `name`. */
export function findModule(name: string): AnyModule | undefined {
  return byName.get(name);
}

// Control-machine helpers the CLI needs (`sparkbook wg client`): pure, no host I/O.
export { generateWireguardKeyPair } from './lib/wireguard-keys.js';
export { renderClientConfig } from './lib/wireguard-config.js';
