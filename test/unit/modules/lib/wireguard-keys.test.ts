// WireGuard key generation on the control machine: RFC 7748 X25519 vectors, clamping, masking.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { clampPrivateKey, generateWireguardKeyPair, isWireguardKey, wireguardPublicKey } from '../../../../modules/lib/wireguard-keys.js';
import { Secret } from '../../../../runner/shell/secret.js';

const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

describe('wireguard keys', () => {
  it("derives Alice's RFC 7748 §6.1 public key from her private key", () => {
    const priv = b64('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    assert.equal(wireguardPublicKey(priv), b64('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'));
  });

  it("derives Bob's RFC 7748 §6.1 public key, also from a Secret", () => {
    const priv = new Secret(b64('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'));
    assert.equal(wireguardPublicKey(priv), b64('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'));
  });

  it('clamps like wg genkey: low 3 bits clear, bit 255 clear, bit 254 set', () => {
    const k = clampPrivateKey(Buffer.alloc(32, 0xff));
    assert.equal(k[0], 0xf8);
    assert.equal(k[31], 0x7f);
    assert.equal(clampPrivateKey(Buffer.alloc(32, 0))[31], 0x40);
  });

  it('generates distinct clamped pairs whose public key matches the private key', () => {
    const a = generateWireguardKeyPair();
    const b = generateWireguardKeyPair();
    assert.notEqual(a.publicKey, b.publicKey);
    for (const pair of [a, b]) {
      assert.ok(isWireguardKey(pair.privateKey.reveal()));
      assert.ok(isWireguardKey(pair.publicKey));
      const raw = Buffer.from(pair.privateKey.reveal(), 'base64');
      assert.equal((raw[0] as number) & 7, 0);
      assert.equal((raw[31] as number) & 0xc0, 0x40);
      assert.equal(wireguardPublicKey(pair.privateKey), pair.publicKey);
    }
  });

  it('keeps the generated private key masked in strings, JSON and inspect', () => {
    const { privateKey } = generateWireguardKeyPair();
    const raw = privateKey.reveal();
    for (const shown of [String(privateKey), JSON.stringify({ privateKey }), inspect({ privateKey })]) assert.ok(!shown.includes(raw));
  });

  it('rejects text that is not a 32-byte base64 key', () => {
    assert.ok(!isWireguardKey('abc='));
    assert.ok(!isWireguardKey(`${'A'.repeat(43)}=`.replace(/A=$/, 'B=')));
    assert.throws(() => wireguardPublicKey('not a key'), /not a WireGuard private key/);
  });
});
