// Decrypts Ansible Vault texts ($ANSIBLE_VAULT;1.1;AES256 and 1.2 with a label) with node:crypto only.
// The format (ansible/parsing/vault/__init__.py, VaultAES256): the body is hex of
// "hex(salt)\nhex(hmac)\nhex(ciphertext)"; PBKDF2-HMAC-SHA256, 10000 rounds, gives 80 bytes:
// the AES-256 key, the HMAC-SHA256 key and the CTR counter block; the plaintext is PKCS7-padded.
import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

/** Why a vault text could not be decrypted: a value, so callers add their own location. */
export interface VaultFailure {
  /** 'format': the envelope is damaged; 'password': none of the passwords opens it. */
  readonly kind: 'format' | 'password';
  readonly message: string;
}

export type VaultResult = { readonly ok: true; readonly plaintext: string; readonly label?: string } | { readonly ok: false; readonly failure: VaultFailure };

const HEADER = '$ANSIBLE_VAULT';

/** Whether `text` (a whole file or an inline value) is a vault envelope. */
export function isVaultText(text: string): boolean {
  return text.trimStart().startsWith(`${HEADER};`);
}

const format = (message: string): VaultResult => ({ ok: false, failure: { kind: 'format', message } });
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * Decrypts `text` with the first of `passwords` whose HMAC matches (Ansible tries every vault
 * secret too). A wrong password and an altered ciphertext look the same, a failed HMAC, so both
 * are 'password' failures, as Ansible's single "Decryption failed" is.
 */
export function decryptVault(text: string, passwords: readonly string[]): VaultResult {
  const lines = text.trim().split(/\r?\n/).map((l) => l.trim());
  const header = (lines[0] ?? '').split(';');
  if (header[0] !== HEADER) return format('not an Ansible Vault text (it must start with $ANSIBLE_VAULT;)');
  const version = header[1];
  if (version !== '1.1' && version !== '1.2') return format(`unsupported vault format version '${version ?? ''}' (1.1 and 1.2 are)`);
  if (header[2] !== 'AES256') return format(`unsupported vault cipher '${header[2] ?? ''}' (AES256 is)`);
  const label = version === '1.2' ? header[3] : undefined;
  const body = lines.slice(1).join('');
  if (!HEX.test(body)) return format('the vault text is not hexadecimal after its header (was it cut or re-wrapped?)');
  const parts = Buffer.from(body, 'hex').toString('latin1').split('\n');
  if (parts.length !== 3 || !parts.every((p) => HEX.test(p))) return format('the vault text does not hold salt, HMAC and ciphertext');
  const [salt, hmac, ciphertext] = parts.map((p) => Buffer.from(p, 'hex')) as [Buffer, Buffer, Buffer];
  if (hmac.length !== 32 || ciphertext.length === 0 || ciphertext.length % 16 !== 0) return format('the vault text has a damaged HMAC or ciphertext');
  for (const password of passwords) {
    const derived = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 10_000, 80, 'sha256');
    const expected = createHmac('sha256', derived.subarray(32, 64)).update(ciphertext).digest();
    // Constant time, so the comparison tells an attacker nothing about how much of it matched.
    if (!timingSafeEqual(expected, hmac)) continue;
    const decipher = createDecipheriv('aes-256-ctr', derived.subarray(0, 32), derived.subarray(64, 80));
    const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    const pad = padded[padded.length - 1] ?? 0;
    if (pad < 1 || pad > 16 || !padded.subarray(padded.length - pad).every((b) => b === pad)) return format('the vault plaintext has bad padding');
    let plaintext: string;
    try {
      plaintext = new TextDecoder('utf-8', { fatal: true }).decode(padded.subarray(0, padded.length - pad));
    } catch {
      return format('the vault plaintext is not UTF-8 text');
    }
    return { ok: true, plaintext, ...(label !== undefined ? { label } : {}) };
  }
  const why = passwords.length === 0
    ? 'encrypted with Ansible Vault, and no vault password was given (--vault-password-file, --ask-vault-pass or SPARKBOOK_VAULT_PASSWORD_FILE)'
    : 'cannot decrypt this vault text: the vault password is wrong, or the text was altered (its HMAC does not match)';
  return { ok: false, failure: { kind: 'password', message: why } };
}
