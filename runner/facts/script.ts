// The one read-only POSIX sh (dash) script that gathers every fact in one round trip; its output
// is tagged sections that runner/facts/sections.ts splits and runner/facts/parse-facts.ts reads.
import { rawShell, sh, type Script } from '../shell/script.js';
import { ALL_FACT_GROUPS, FACT_GROUPS, type FactGroup } from './groups.js';

/** The line that opens every section: `@@sparkbook:NAME STATUS` (status `rc=N` or `missing`). */
export const SECTION_MARK = '@@sparkbook:';

/** The last section: its presence proves the script ran to the end (a timeout cuts it off). */
export const END_SECTION = 'end';

// Rules the script keeps, and why:
// - Every command reads /dev/null: the script itself arrives on stdin (`sh -s`), and a command
//   that read stdin would swallow the rest of the script.
// - stderr is discarded per command and each command's exit code is reported in its section
//   header, so the parser can tell "ran and failed" from "tool missing"; nothing makes it exit early.
// - Commands that could hang (DNS in `hostname -f`, D-Bus in systemctl, sudo, tailscaled, the
//   GPU driver) run under `timeout` when the host has it. No command opens a network connection.
// - Root-only reads (`sshd -T`, `ufw status`, `wg show`, /etc/wireguard) run directly as root;
//   otherwise through `sudo -n` only when one probe (`sudo -n true`) proves it needs no
//   password (-n never prompts, so it cannot stall on a password). Without either they run
//   unprivileged and whatever they cannot read is a null fact.
// - LC_ALL=C: ufw, systemctl and others translate their output, and the parsers read English.
// - tailscale's status JSON is filtered on the host down to BackendState: no peer list, no
//   login URL, nothing secret crosses the wire.
const PRELUDE = `# sparkbook facts: read-only; every command guarded; this script never fails.
PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\${PATH:+:$PATH}"
LC_ALL=C
export PATH LC_ALL
sb_has() { command -v "$1" >/dev/null 2>&1; }
if sb_has timeout; then sb_t() { timeout "$@"; }; else sb_t() { shift; "$@"; }; fi
sb_out() {
  sb_n=$1; shift
  sb_o=$("$@" </dev/null 2>/dev/null); sb_rc=$?
  printf '${SECTION_MARK}%s rc=%s\\n' "$sb_n" "$sb_rc"
  if [ -n "$sb_o" ]; then printf '%s\\n' "$sb_o"; fi
  return 0
}
sb_missing() { printf '${SECTION_MARK}%s missing\\n' "$1"; }
sb_tool() {
  if sb_has "$2"; then sb_n=$1; shift 2; sb_out "$sb_n" "$@"; else sb_missing "$1"; fi
}
sb_sudo=
if [ "$(id -u 2>/dev/null)" != 0 ] && sb_has sudo && sb_t 5 sudo -n true </dev/null >/dev/null 2>&1; then
  sb_sudo='sudo -n'
fi

`;

/** Each group's commands (groups.ts says which facts each fills). */
const GROUP_TEXT: { readonly [G in FactGroup]: string } = {
  base: `sb_tool uname-m uname uname -m
sb_tool uname-r uname uname -r
if sb_has hostname; then sb_out hostname hostname; else sb_out hostname uname -n; fi
if [ -r /etc/os-release ]; then sb_out os-release cat /etc/os-release; else sb_out os-release cat /usr/lib/os-release; fi
sb_tool dpkg-arch dpkg dpkg --print-architecture

if [ -r /proc/1/comm ]; then sb_out init cat /proc/1/comm; else sb_out init ps -p 1 -o comm=; fi
sb_pkgs() { for sb_p in apt-get dnf yum zypper apk pacman; do if sb_has "$sb_p"; then echo "$sb_p"; fi; done; }
sb_out package-managers sb_pkgs
sb_out meminfo grep -E '^MemTotal:' /proc/meminfo
if sb_has nproc; then sb_out nproc nproc; else sb_out nproc getconf _NPROCESSORS_ONLN; fi
sb_out dmi-product cat /sys/class/dmi/id/product_name
sb_tool id-un id id -un
sb_tool id-u id id -u
`,
  network: `sb_tool hostname-f hostname sb_t 3 hostname -f
if sb_has ip; then
  sb_j=$(ip -j addr </dev/null 2>/dev/null)
  case $sb_j in
    '['*) printf '${SECTION_MARK}ip-addr-json rc=0\\n%s\\n' "$sb_j" ;;
    *) sb_out ip-addr-text ip -o addr; sb_out ip-link-text ip -o link ;;
  esac
  sb_j=$(ip -j route show default </dev/null 2>/dev/null)
  case $sb_j in
    '['*) printf '${SECTION_MARK}ip-route4-json rc=0\\n%s\\n' "$sb_j" ;;
    *) sb_out ip-route4-text ip route show default ;;
  esac
  sb_j=$(ip -j -6 route show default </dev/null 2>/dev/null)
  case $sb_j in
    '['*) printf '${SECTION_MARK}ip-route6-json rc=0\\n%s\\n' "$sb_j" ;;
    *) sb_out ip-route6-text ip -6 route show default ;;
  esac
else
  sb_missing ip-addr-json
  sb_missing ip-route4-json
  sb_missing ip-route6-json
fi

`,
  ssh: `sb_x=$(command -v sshd 2>/dev/null)
if [ -n "$sb_x" ]; then sb_out sshd-t sb_t 5 $sb_sudo "$sb_x" -T; else sb_missing sshd-t; fi
sb_tool ssh-units systemctl sb_t 5 systemctl show ssh.socket ssh.service -p Id -p LoadState -p ActiveState -p UnitFileState -p Listen
sb_out ssh-generator cat /run/systemd/generator/ssh.socket.d/addresses.conf
sb_tool ss-listen ss ss -ltnp

`,
  ufw: `# ufw is Python (~70 ms of CPU per call, most of this script's cost). Its own status check is
# \`iptables -L ufw-user-input -n\` exiting 1 => "Status: inactive": make that check first, and
# start Python only when the chain is loaded (or the check cannot be made).
sb_ufw_unloaded() {
  sb_i=$(command -v iptables 2>/dev/null) || return 1
  sb_t 5 $sb_sudo "$sb_i" -L ufw-user-input -n </dev/null >/dev/null 2>&1
  [ $? -eq 1 ]
}
sb_x=$(command -v ufw 2>/dev/null)
if [ -z "$sb_x" ]; then sb_missing ufw-status
elif sb_ufw_unloaded; then printf '${SECTION_MARK}ufw-status rc=0\\nStatus: inactive\\n'
else sb_out ufw-status sb_t 10 $sb_sudo "$sb_x" status verbose; fi
sb_out ufw-conf grep -E '^ENABLED=' /etc/ufw/ufw.conf

`,
  sysctl: `sb_sysctl() {
  for sb_k in net/ipv4/ip_forward net/ipv6/conf/all/forwarding; do
    if [ -r "/proc/sys/$sb_k" ]; then
      printf '%s = %s\\n' "$(printf '%s' "$sb_k" | tr / .)" "$(cat "/proc/sys/$sb_k")"
    fi
  done
}
sb_out sysctl sb_sysctl

`,
  wireguard: `sb_x=$(command -v wg 2>/dev/null)
if [ -n "$sb_x" ]; then sb_out wg-show sb_t 5 $sb_sudo "$sb_x" show interfaces; else sb_missing wg-show; fi
sb_tool wg-links ip ip -o link show type wireguard
sb_out wg-conf $sb_sudo ls -1 /etc/wireguard

`,
  tailscale: `sb_tool tailscale-version tailscale sb_t 5 tailscale version
sb_tsstate() {
  sb_t 5 tailscale status --json </dev/null 2>/dev/null |
    sed -n 's/^[[:space:]]*"BackendState":[[:space:]]*"\\([A-Za-z]*\\)".*/\\1/p' | head -n 1
}
sb_tool tailscale-state tailscale sb_tsstate

`,
  gpu: `sb_tool nvidia-smi nvidia-smi sb_t 10 nvidia-smi --query-gpu=name --format=csv,noheader
`,
};

const END = `printf '${SECTION_MARK}${END_SECTION} rc=0\\n'
exit 0
`;

/**
 * The facts script for `groups` (all by default), in the fixed group order: constant text from
 * this file only, so nothing in it needs quoting.
 */
export function factsScript(groups: ReadonlySet<FactGroup> = ALL_FACT_GROUPS): Script {
  const parts = FACT_GROUPS.filter((g) => groups.has(g)).map((g) => GROUP_TEXT[g]);
  return sh`${rawShell(PRELUDE + parts.join('') + END)}`;
}
