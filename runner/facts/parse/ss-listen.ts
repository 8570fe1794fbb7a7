// Parses `ss -ltnp`: the TCP sockets that listen, with their processes when ss may see them
// (root). This is the truth sshd -T cannot tell on a socket-activated host.

export interface ListeningSocket {
  /** "0.0.0.0", "::", "*" (a dual-stack wildcard), "127.0.0.53%lo". */
  readonly address: string;
  readonly port: number;
  readonly processes: string[];
}

export function parseSsListen(text: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] !== 'LISTEN' || words.length < 5) continue;
    const local = words[3] ?? '';
    const colon = local.lastIndexOf(':');
    const port = local.slice(colon + 1);
    if (colon < 0 || !/^\d+$/.test(port)) continue;
    const address = local.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    const users = /users:\((.*)\)/.exec(line)?.[1] ?? '';
    const processes = [...users.matchAll(/\("([^"]+)",pid=\d+/g)].map((m) => m[1] ?? '');
    out.push({ address, port: Number(port), processes: [...new Set(processes)] });
  }
  return out;
}
