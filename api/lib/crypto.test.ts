import { describe, expect, it } from 'vitest';
import { decrypt, deriveKey, encrypt, isEncrypted, maskSecret } from './crypto';

describe('crypto', () => {
  const key = deriveKey('a'.repeat(40), 'settings');

  it('round-trips with a fresh IV each time', () => {
    const a = encrypt('sk-secret', key);
    const b = encrypt('sk-secret', key);
    expect(a).not.toBe(b);
    expect(isEncrypted(a)).toBe(true);
    expect(decrypt(a, key)).toBe('sk-secret');
  });

  it('refuses tampered ciphertext and the wrong key', () => {
    const payload = encrypt('value', key);
    const parts = payload.split(':');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => decrypt(parts.join(':'), key)).toThrow();
    expect(() => decrypt(payload, deriveKey('b'.repeat(40), 'settings'))).toThrow();
    expect(() => decrypt(payload, deriveKey('a'.repeat(40), 'other-purpose'))).toThrow();
  });

  it('masks without revealing the middle', () => {
    expect(maskSecret('sk-abcdefghijklmnop')).toBe('sk-••••••••mnop');
    expect(maskSecret('short')).toBe('••••••••');
  });
});
