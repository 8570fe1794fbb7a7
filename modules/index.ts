// The module registry: an explicit list (no registration by import side effect), so what
// sparkbook can run is greppable here.
import { eraseModule, moduleKeys, type AnyModule } from '../runner/module.js';
import { apt } from './apt.js';
import { assert } from './assert.js';
import { authorized_key } from './authorized_key.js';
import { blockinfile } from './blockinfile.js';
import { command } from './command.js';
import { copy } from './copy.js';
import { debug } from './debug.js';
import { fail } from './fail.js';
import { file } from './file.js';
import { group } from './group.js';
import { hostname } from './hostname.js';
import { line } from './line.js';
import { service } from './service.js';
import { shell } from './shell.js';
import { sshd_config } from './sshd_config.js';
import { stat } from './stat.js';
import { sysctl } from './sysctl.js';
import { template } from './template.js';
import { tailscale } from './tailscale.js';
import { timezone } from './timezone.js';
import { ufw } from './ufw.js';
import { user } from './user.js';
import { wireguard } from './wireguard.js';

export const modules: readonly AnyModule[] = [
  eraseModule(apt),
  eraseModule(assert),
  eraseModule(authorized_key),
  eraseModule(blockinfile),
  eraseModule(command),
  eraseModule(copy),
  eraseModule(debug),
  eraseModule(fail),
  eraseModule(file),
  eraseModule(group),
  eraseModule(hostname),
  eraseModule(line),
  eraseModule(service),
  eraseModule(shell),
  eraseModule(sshd_config),
  eraseModule(stat),
  eraseModule(sysctl),
  eraseModule(tailscale),
  eraseModule(template),
  eraseModule(timezone),
  eraseModule(ufw),
  eraseModule(user),
  eraseModule(wireguard),
];

const byName = moduleKeys(modules);

/** The module whose YAML key (name or alias) is `name`. */
export function findModule(name: string): AnyModule | undefined {
  return byName.get(name);
}

// Control-machine helpers the CLI needs (`sparkbook wg client`): pure, no host I/O.
export { generateWireguardKeyPair } from './lib/wireguard-keys.js';
export { renderClientConfig } from './lib/wireguard-config.js';
