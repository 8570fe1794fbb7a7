// Parses `tailscale version` (first line: the version) and the BackendState the facts script
// filters out of `tailscale status --json` on the host.

export function parseTailscaleVersion(text: string): string | null {
  const first = text.split('\n')[0]?.trim() ?? '';
  const m = /^v?(\d+\.\d+(?:\.\d+)?(?:[-+][\w.-]+)?)$/.exec(first);
  return m?.[1] ?? null;
}

/** One of tailscale's ipn.State names: NoState, NeedsLogin, NeedsMachineAuth, Stopped, Starting, Running. */
export function parseBackendState(text: string): string | null {
  const first = text.split('\n')[0]?.trim() ?? '';
  return /^[A-Za-z]+$/.test(first) ? first : null;
}
