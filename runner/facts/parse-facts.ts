// Turns the facts script's whole output into a typed Facts value: each section goes to its
// parser, and whatever is missing, failed or unreadable becomes a null fact, never an error.
import type { Facts, InterfaceFact, UnitFact } from './facts.js';
import { parseGpuNames, isDgxSpark } from './parse/gpu.js';
import { parseIpAddrJson, parseIpAddrText } from './parse/ip-addr.js';
import { ipv4Network, parseRouteJson, parseRouteText, preferredRoute, routeAddress, type DefaultRoute } from './parse/ip-route.js';
import { parseMemTotalMb } from './parse/meminfo.js';
import { parseOsRelease } from './parse/os-release.js';
import { parseSsListen } from './parse/ss-listen.js';
import { parseSshdT } from './parse/sshd-t.js';
import { parseSysctl, sysctlInt } from './parse/sysctl.js';
import { parseListenStreams, parseSystemctlShow, type UnitState } from './parse/systemd.js';
import { parseBackendState, parseTailscaleVersion } from './parse/tailscale.js';
import { parseUfwConf, parseUfwStatus } from './parse/ufw-status.js';
import { parseWgShowInterfaces, parseWireguardConfigs, parseWireguardLinks } from './parse/wireguard.js';
import { bodyOf, okBodyOf, splitSections, type Sections } from './sections.js';

/** The first line of a section that exited 0, trimmed; null otherwise. */
function line(s: Sections, name: string): string | null {
  const first = okBodyOf(s, name)?.split('\n')[0]?.trim() ?? '';
  return first === '' ? null : first;
}

function int(text: string | null): number | null {
  return text !== null && /^\d+$/.test(text) ? Number(text) : null;
}

function interfacesOf(s: Sections): InterfaceFact[] {
  const json = okBodyOf(s, 'ip-addr-json');
  if (json !== null) return parseIpAddrJson(json) ?? [];
  const text = bodyOf(s, 'ip-addr-text');
  return text === null ? [] : parseIpAddrText(text, bodyOf(s, 'ip-link-text') ?? '');
}

function routesOf(s: Sections, family: '4' | '6'): DefaultRoute[] {
  const json = okBodyOf(s, `ip-route${family}-json`);
  if (json !== null) return parseRouteJson(json) ?? [];
  const text = bodyOf(s, `ip-route${family}-text`);
  return text === null ? [] : parseRouteText(text);
}

function defaultRouteOf(s: Sections, interfaces: readonly InterfaceFact[]): Facts['defaultRoute'] {
  const route = preferredRoute(routesOf(s, '4'));
  if (route === null) return null;
  const from = routeAddress(route, interfaces);
  return {
    interface: route.interface,
    gateway: route.gateway,
    cidr: from === null ? null : ipv4Network(from.address, from.prefix),
    address: from?.address ?? null,
  };
}

function unit(state: UnitState | undefined): UnitFact | null {
  if (state === undefined) return null;
  return { loadState: state.loadState, activeState: state.activeState, unitFileState: state.unitFileState, listen: state.listen };
}

function sshUnitsOf(s: Sections): Facts['sshUnits'] {
  const show = okBodyOf(s, 'ssh-units');
  if (show === null) return null;
  const units = parseSystemctlShow(show);
  const generator = okBodyOf(s, 'ssh-generator');
  return {
    socket: unit(units.get('ssh.socket')),
    service: unit(units.get('ssh.service')),
    generatorListen: generator === null ? null : parseListenStreams(generator),
  };
}

function sshdOf(s: Sections, sshUnits: Facts['sshUnits']): Facts['sshd'] {
  const text = bodyOf(s, 'sshd-t');
  const parsed = text === null ? null : parseSshdT(text);
  if (parsed === null) return null;
  return {
    ports: parsed.ports,
    passwordAuthentication: parsed.passwordAuthentication,
    permitRootLogin: parsed.permitRootLogin,
    pubkeyAuthentication: parsed.pubkeyAuthentication,
    kbdInteractiveAuthentication: parsed.kbdInteractiveAuthentication,
    listenAddresses: parsed.listenAddresses,
    socketActivated: sshUnits?.socket?.activeState === 'active',
    settings: parsed.settings,
  };
}

function ufwOf(s: Sections): Facts['ufw'] {
  const section = s.byName.get('ufw-status');
  if (section === undefined || section.missing) return null;
  const status = parseUfwStatus(section.body);
  if (status !== null) {
    return {
      active: status.active,
      rules: status.rules.map((r) => r.text),
      source: 'status',
      logging: status.logging,
      defaults: status.defaults,
      ruleTable: status.rules.map(({ to, action, direction, from, v6, comment }) => ({ to, action, direction, from, v6, comment })),
    };
  }
  // Not root and no passwordless sudo: ufw.conf still says whether ufw starts enabled.
  const conf = bodyOf(s, 'ufw-conf');
  const enabled = conf === null ? null : parseUfwConf(conf);
  if (enabled === null) return null;
  return { active: enabled, rules: [], source: 'conf', logging: null, defaults: null, ruleTable: [] };
}

function wireguardOf(s: Sections): Facts['wireguard'] {
  const tool = s.byName.get('wg-show');
  const toolsInstalled = tool !== undefined && !tool.missing;
  const fromTool = parseWgShowInterfaces(okBodyOf(s, 'wg-show') ?? '');
  const fromLinks = parseWireguardLinks(okBodyOf(s, 'wg-links') ?? '');
  const configs = parseWireguardConfigs(okBodyOf(s, 'wg-conf') ?? '');
  const interfaces = [...new Set([...fromTool, ...fromLinks])];
  if (!toolsInstalled && interfaces.length === 0 && configs.length === 0) return null;
  return { interfaces, configs, toolsInstalled };
}

function tailscaleOf(s: Sections): Facts['tailscale'] {
  const version = s.byName.get('tailscale-version');
  if (version === undefined || version.missing) return null;
  const state = okBodyOf(s, 'tailscale-state');
  return {
    version: parseTailscaleVersion(okBodyOf(s, 'tailscale-version') ?? ''),
    backendState: state === null ? null : parseBackendState(state),
  };
}

/** Package managers in order of preference; apt-get is reported as "apt". */
function packageManagerOf(s: Sections): string | null {
  const found = (okBodyOf(s, 'package-managers') ?? '').split('\n').map((l) => l.trim());
  const first = ['apt-get', 'dnf', 'yum', 'zypper', 'apk', 'pacman'].find((p) => found.includes(p));
  return first === undefined ? null : first === 'apt-get' ? 'apt' : first;
}

export function parseFacts(stdout: string, connection: Facts['connection']): Facts {
  const s = splitSections(stdout);
  const interfaces = interfacesOf(s);
  const route6 = preferredRoute(routesOf(s, '6'));
  const sysctl = parseSysctl(okBodyOf(s, 'sysctl') ?? '');
  const sshUnits = sshUnitsOf(s);
  const osText = okBodyOf(s, 'os-release');
  const gpus = parseGpuNames(okBodyOf(s, 'nvidia-smi') ?? '');
  const productName = line(s, 'dmi-product');
  const ss = okBodyOf(s, 'ss-listen');
  return {
    connection,
    hostname: line(s, 'hostname'),
    fqdn: line(s, 'hostname-f'),
    arch: line(s, 'uname-m'),
    dpkgArch: line(s, 'dpkg-arch'),
    os: osText === null ? { id: null, version: null, codename: null, pretty: null } : parseOsRelease(osText),
    kernel: line(s, 'uname-r'),
    interfaces,
    defaultRoute: defaultRouteOf(s, interfaces),
    defaultRoute6: route6 === null ? null : { interface: route6.interface, gateway: route6.gateway },
    sshd: sshdOf(s, sshUnits),
    sshUnits,
    listening: ss === null ? null : parseSsListen(ss),
    ufw: ufwOf(s),
    sysctl: { ipv4Forward: sysctlInt(sysctl, 'net.ipv4.ip_forward'), ipv6Forward: sysctlInt(sysctl, 'net.ipv6.conf.all.forwarding') },
    wireguard: wireguardOf(s),
    tailscale: tailscaleOf(s),
    initSystem: line(s, 'init'),
    packageManager: packageManagerOf(s),
    memoryMb: parseMemTotalMb(okBodyOf(s, 'meminfo') ?? ''),
    cpus: int(line(s, 'nproc')),
    productName,
    isDgxSpark: isDgxSpark(productName, gpus),
    gpus,
    user: { name: line(s, 'id-un'), uid: int(line(s, 'id-u')) },
  };
}
