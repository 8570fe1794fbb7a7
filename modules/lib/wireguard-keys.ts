// WireGuard keys on the control machine (for client configs): X25519 from node:crypto, raw
// 32-byte keys in base64, the private key clamped as `wg genkey` does and kept in a Secret.
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { TaskError } from '../../runner/errors.js';
import { Secret } from '../../runner/shell/secret.js';

export interface WireguardKeyPair {
  readonly privateKey: Secret;
  readonly publicKey: string;
}

/** PKCS#8 DER of an X25519 private key, up to its 32 raw bytes (RFC 8410). */
const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** 32 bytes in base64: 43 characters whose last carries no stray bits, and one `=`. */
export const WIREGUARD_KEY_PATTERN = '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$';
const KEY = new RegExp(WIREGUARD_KEY_PATTERN);

/** Whether `text` is a WireGuard key: 32 bytes in base64 (44 characters, one `=`). */
export function isWireguardKey(text: string): boolean {
  return KEY.test(text);
}

/** Clamps a Curve25519 private scalar (RFC 7748 §5), as wg genkey does. */
export function clampPrivateKey(raw: Uint8Array): Buffer {
  if (raw.length !== 32) throw new TaskError('module', 'a WireGuard private key is 32 bytes');
  const key = Buffer.from(raw);
  key[0] = (key[0] as number) & 248;
  key[31] = ((key[31] as number) & 127) | 64;
  return key;
}

/** The public key (base64) of a base64 private key: what `wg pubkey` prints. */
export function wireguardPublicKey(privateKey: Secret | string): string {
  const text = typeof privateKey === 'string' ? privateKey : privateKey.reveal();
  if (!isWireguardKey(text)) throw new TaskError('module', 'not a WireGuard private key (44 base64 characters)');
  const der = Buffer.concat([PKCS8_X25519_PREFIX, Buffer.from(text, 'base64')]);
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new TaskError('module', 'could not derive the WireGuard public key');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

/** A fresh key pair, generated here; the private key is a Secret (masked in every output). */
export function generateWireguardKeyPair(): WireguardKeyPair {
  const privateText = clampPrivateKey(randomBytes(32)).toString('base64');
  return { privateKey: new Secret(privateText), publicKey: wireguardPublicKey(privateText) };
}
