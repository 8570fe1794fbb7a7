// The reporters' last line of defence: every string they output passes through redact(), which
// scrubs every Secret value seen in this process plus text that plainly is a secret.
import { REDACTED, redactKnownSecrets } from '../shell/secret.js';
import { canonicalize, type JsonValue } from './stable-json.js';

// Tailscale keys: tskey-auth-…, tskey-client-…, tskey-api-…; the kind stays readable.
const TAILSCALE_KEY = /\btskey-(?:(auth|client|api|webhook|scim)-)?[A-Za-z0-9_-]{6,}/g;

// WireGuard keys are 32 bytes in base64: 43 characters and one '='. They are secret after
// PrivateKey/PresharedKey (wg-quick files) or "private key:" (YAML vars, logs).
const WIREGUARD_KEY = /(?<![A-Za-z0-9])(private[ _-]?key|preshared[ _-]?key)(\s*[=:]\s*["']?)[A-Za-z0-9+/]{43}=/gi;

const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]*?)PRIVATE KEY-----/g;

/** Replaces known secret values and obvious secrets (Tailscale keys, WireGuard keys, PEM private keys). */
export function redact(text: string): string {
  let out = redactKnownSecrets(text);
  if (out.includes('tskey-')) {
    out = out.replace(TAILSCALE_KEY, (_match, kind: string | undefined) => `tskey-${kind ? `${kind}-` : ''}${REDACTED}`);
  }
  if (/key/i.test(out)) out = out.replace(WIREGUARD_KEY, (_match, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  if (out.includes('PRIVATE KEY-----')) out = redactPemBlocks(out);
  return out;
}

/** Every string of `value`, keys included, redacted; keys sorted (canonical JSON data). */
export function redactValue(value: unknown): JsonValue {
  return canonicalize(value, redact);
}

// A block without its END line (cut-off output) is redacted to the end of the text. Written
// with indexOf rather than one regex so a text full of BEGIN lines stays linear.
function redactPemBlocks(text: string): string {
  let out = '';
  let from = 0;
  PEM_BEGIN.lastIndex = 0;
  for (let match = PEM_BEGIN.exec(text); match; match = PEM_BEGIN.exec(text)) {
    const label = match[1] ?? '';
    const begin = match[0];
    const end = `-----END ${label}PRIVATE KEY-----`;
    const endAt = text.indexOf(end, match.index + begin.length);
    // Keep the line's prefix ("+" in a diff, indentation) on the lines put in place of the key.
    const lineStart = text.lastIndexOf('\n', match.index - 1) + 1;
    const prefix = text.slice(lineStart, match.index);
    const margin = /^[ \t+\-|>]{0,12}$/.test(prefix) ? prefix : '';
    out += text.slice(from, match.index) + `${begin}\n${margin}${REDACTED}\n${margin}${end}`;
    from = endAt < 0 ? text.length : endAt + end.length;
    PEM_BEGIN.lastIndex = from;
    if (endAt < 0) break;
  }
  return out + text.slice(from);
}
