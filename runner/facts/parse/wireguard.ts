// Parses the WireGuard views: `wg show interfaces` (names on one line), `ip -o link show type
// wireguard` (works without wireguard-tools and without root), and `ls -1 /etc/wireguard`.

export function parseWgShowInterfaces(text: string): string[] {
  return text.split(/\s+/).filter((w) => /^[\w.@-]+$/.test(w));
}

export function parseWireguardLinks(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+([^:\s@]+)/.exec(line);
    if (m?.[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/** The wg-quick configurations: wg0.conf → wg0. */
export function parseWireguardConfigs(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[\w.@-]+\.conf$/.test(l))
    .map((l) => l.slice(0, -'.conf'.length));
}
