import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PiiCipher, PiiDecryptError, type EncryptedValue } from '../../src/security/pii-crypto.js';

const key1 = Buffer.alloc(32, 1);
const key2 = Buffer.alloc(32, 2);
const indexKey = Buffer.alloc(32, 9);

const v1Only = () => new PiiCipher({ keys: { 1: key1 }, currentVersion: 1, indexKey });
const rotated = () => new PiiCipher({ keys: { 1: key1, 2: key2 }, currentVersion: 2, indexKey });

/** Flips one bit of a base64 field. */
function flip(base64: string, byte = 0): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[byte] = (bytes[byte] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

describe('PiiCipher encrypt/decrypt', () => {
  it('round-trips a CCCD and records the key version', () => {
    const cipher = v1Only();
    const encrypted = cipher.encrypt('001052012345');
    expect(encrypted.v).toBe(1);
    expect(Buffer.from(encrypted.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(encrypted.tag, 'base64')).toHaveLength(16);
    expect(encrypted.ct).not.toContain('001052012345');
    expect(cipher.decrypt(encrypted)).toBe('001052012345');
  });

  it('uses a fresh IV each time, so equal values do not look equal at rest', () => {
    const cipher = v1Only();
    const a = cipher.encrypt('0912345678');
    const b = cipher.encrypt('0912345678');
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
  });

  it('round-trips any string, including empty and Vietnamese text', () => {
    const cipher = v1Only();
    expect(cipher.decrypt(cipher.encrypt(''))).toBe('');
    expect(cipher.decrypt(cipher.encrypt('Nguyễn Văn Đạt'))).toBe('Nguyễn Văn Đạt');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (plain) => cipher.decrypt(cipher.encrypt(plain)) === plain));
  });

  it('decrypts values written under an old key after rotation, and encrypts new ones under the new key', () => {
    const old = v1Only().encrypt('0071000123456');
    const cipher = rotated();
    expect(cipher.decrypt(old)).toBe('0071000123456');
    expect(cipher.needsReencryption(old)).toBe(true);

    const fresh = cipher.encrypt('0071000123456');
    expect(fresh.v).toBe(2);
    expect(cipher.needsReencryption(fresh)).toBe(false);
    expect(cipher.decrypt(fresh)).toBe('0071000123456');
  });

  it('throws for a version whose key was removed', () => {
    const fresh = rotated().encrypt('x');
    expect(() => v1Only().decrypt(fresh)).toThrow(PiiDecryptError);
  });

  it('throws when the tag, ciphertext or IV was tampered with', () => {
    const cipher = v1Only();
    const good = cipher.encrypt('001052012345');
    const tampered: EncryptedValue[] = [
      { ...good, tag: flip(good.tag) },
      { ...good, tag: flip(good.tag, 15) },
      { ...good, ct: flip(good.ct) },
      { ...good, iv: flip(good.iv) },
    ];
    for (const value of tampered) expect(() => cipher.decrypt(value)).toThrow(PiiDecryptError);
  });

  it('throws for a truncated tag rather than checking fewer bytes', () => {
    const cipher = v1Only();
    const good = cipher.encrypt('001052012345');
    const short = Buffer.from(good.tag, 'base64').subarray(0, 4).toString('base64');
    expect(() => cipher.decrypt({ ...good, tag: short })).toThrow(PiiDecryptError);
  });

  it('throws when the version is relabelled to another key', () => {
    const cipher = rotated();
    const fresh = cipher.encrypt('001052012345');
    expect(() => cipher.decrypt({ ...fresh, v: 1 })).toThrow(PiiDecryptError);
  });

  it('throws for malformed base64', () => {
    const cipher = v1Only();
    const good = cipher.encrypt('x');
    expect(() => cipher.decrypt({ ...good, iv: 'not base64!' })).toThrow(PiiDecryptError);
  });
});

describe('PiiCipher.blindIndex', () => {
  it('is a stable 64-character hex HMAC across instances', () => {
    const a = v1Only().blindIndex('cccd', '001052012345');
    const b = rotated().blindIndex('cccd', '001052012345');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(b);
  });

  it('separates kinds: the same digits as a phone and as an account differ', () => {
    const cipher = v1Only();
    const digits = '0912345678';
    const indexes = new Set(
      (['cccd', 'phone', 'account', 'bhxh'] as const).map((kind) => cipher.blindIndex(kind, digits)),
    );
    expect(indexes.size).toBe(4);
  });

  it('differs for different values and different index keys', () => {
    const cipher = v1Only();
    expect(cipher.blindIndex('phone', '0912345678')).not.toBe(cipher.blindIndex('phone', '0912345679'));
    const otherKey = new PiiCipher({ keys: { 1: key1 }, currentVersion: 1, indexKey: Buffer.alloc(32, 8) });
    expect(otherKey.blindIndex('phone', '0912345678')).not.toBe(cipher.blindIndex('phone', '0912345678'));
  });
});

describe('PiiCipher construction', () => {
  it('refuses keys of the wrong length, a missing current key and a short index key', () => {
    expect(() => new PiiCipher({ keys: { 1: Buffer.alloc(16) }, currentVersion: 1, indexKey })).toThrow(/32 bytes/);
    expect(() => new PiiCipher({ keys: { 1: key1 }, currentVersion: 2, indexKey })).toThrow(/current key version 2/);
    expect(() => new PiiCipher({ keys: { 1: key1 }, currentVersion: 1, indexKey: Buffer.alloc(16) })).toThrow(
      /index key/,
    );
  });

  it('copies its keys, so a caller reusing its buffer cannot change them', () => {
    const mutable = Buffer.from(key1);
    const cipher = new PiiCipher({ keys: { 1: mutable }, currentVersion: 1, indexKey });
    const encrypted = cipher.encrypt('x');
    mutable.fill(0);
    expect(cipher.decrypt(encrypted)).toBe('x');
  });
});

describe('PiiCipher.fromEnv', () => {
  const k1 = key1.toString('base64');
  const k2 = key2.toString('base64');
  const ik = indexKey.toString('base64');

  it('parses "1:<base64>,2:<base64>" and decrypts across versions', () => {
    const old = PiiCipher.fromEnv({ keys: `1:${k1}`, currentVersion: 1, indexKey: ik }).encrypt('secret');
    const cipher = PiiCipher.fromEnv({ keys: ` 1:${k1} , 2:${k2} `, currentVersion: 2, indexKey: ik });
    expect(cipher.decrypt(old)).toBe('secret');
    expect(cipher.encrypt('x').v).toBe(2);
    expect(cipher.blindIndex('bhxh', '7912345678')).toBe(v1Only().blindIndex('bhxh', '7912345678'));
  });

  it('names PII_ENCRYPTION_KEYS when a key has the wrong length, without echoing it', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => PiiCipher.fromEnv({ keys: `1:${short}`, currentVersion: 1, indexKey: ik })).toThrow(
      /^PII_ENCRYPTION_KEYS: key version 1 must be base64 of exactly 32 bytes, got 16$/,
    );
    try {
      PiiCipher.fromEnv({ keys: `1:${short}`, currentVersion: 1, indexKey: ik });
    } catch (error) {
      expect(String(error)).not.toContain(short);
    }
  });

  it('names PII_ENCRYPTION_KEYS for malformed entries, bad base64, duplicates and a missing current version', () => {
    const cases = ['', k1, `x:${k1}`, `0:${k1}`, `99999999999999999999:${k1}`, `1:${k1.slice(0, -2)}!!`, `1:${k1},1:${k2}`];
    for (const keys of cases) {
      expect(() => PiiCipher.fromEnv({ keys, currentVersion: 1, indexKey: ik }), keys).toThrow(/^PII_ENCRYPTION_KEYS/);
    }
    expect(() => PiiCipher.fromEnv({ keys: `1:${k1}`, currentVersion: 2, indexKey: ik })).toThrow(
      /^PII_ENCRYPTION_KEYS: no key for the current version 2/,
    );
  });

  it('names PII_INDEX_KEY when it is short or not base64', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => PiiCipher.fromEnv({ keys: `1:${k1}`, currentVersion: 1, indexKey: short })).toThrow(
      /^PII_INDEX_KEY: .*at least 32 bytes, got 16$/,
    );
    expect(() => PiiCipher.fromEnv({ keys: `1:${k1}`, currentVersion: 1, indexKey: 'not base64!' })).toThrow(
      /^PII_INDEX_KEY/,
    );
  });

  it('accepts keys made by generateKey, which are 32 random bytes', () => {
    const a = PiiCipher.generateKey();
    const b = PiiCipher.generateKey();
    expect(Buffer.from(a, 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
    const cipher = PiiCipher.fromEnv({ keys: `1:${a}`, currentVersion: 1, indexKey: b });
    expect(cipher.decrypt(cipher.encrypt('ok'))).toBe('ok');
  });
});
