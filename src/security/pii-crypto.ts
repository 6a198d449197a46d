import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * A value encrypted with AES-256-GCM, as stored in the database.
 * `v` is the key version, so keys can rotate while old rows still decrypt.
 */
export interface EncryptedValue {
  v: number;
  /** 12-byte nonce, base64. */
  iv: string;
  /** Ciphertext, base64. */
  ct: string;
  /** 16-byte authentication tag, base64. */
  tag: string;
}

/** Which identifier a blind index is for (or 'import', keyed hashes of import rows); part of the HMAC input, so kinds never collide. */
export type BlindIndexKind = 'cccd' | 'phone' | 'account' | 'bhxh' | 'import';

/** Key material for {@link PiiCipher}. */
export interface PiiKeys {
  /** AES-256 keys (32 bytes each) by version. Keep retired versions until their rows are re-encrypted. */
  keys: Record<number, Buffer>;
  /** Version used for new encryptions. */
  currentVersion: number;
  /** HMAC key for blind indexes, at least 32 bytes. Changing it means recomputing every index. */
  indexKey: Buffer;
}

/** Thrown when a stored value cannot be decrypted: unknown key version, malformed or tampered. */
export class PiiDecryptError extends Error {
  override readonly name = 'PiiDecryptError';
}

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MIN_INDEX_KEY_BYTES = 32;
/** Bumped only with a new index scheme; old indexes would then need recomputing. */
const INDEX_DOMAIN = 'luong-huu-bot/blind-index/v1';

/**
 * Encrypts personal identifiers (CCCD, phone, bank account) at rest and
 * computes blind indexes for exact-match lookups without decrypting.
 *
 * Why GCM with a random 96-bit IV: authenticated, so a tampered row fails
 * loudly instead of decrypting to garbage; random IVs are safe for far more
 * values per key than a province will ever store.
 */
export class PiiCipher {
  private readonly keys: ReadonlyMap<number, Buffer>;
  private readonly currentVersion: number;
  private readonly indexKey: Buffer;

  constructor(spec: PiiKeys) {
    const keys = new Map<number, Buffer>();
    for (const [versionText, key] of Object.entries(spec.keys)) {
      const version = Number(versionText);
      if (!Number.isSafeInteger(version) || version < 1) {
        throw new Error(`PII key version must be a positive whole number, got "${versionText}"`);
      }
      if (key.length !== KEY_BYTES) {
        throw new Error(`PII key version ${version} must be ${KEY_BYTES} bytes, got ${key.length}`);
      }
      // Copies, so a caller zeroing or reusing its buffer cannot change ours.
      keys.set(version, Buffer.from(key));
    }
    if (!keys.has(spec.currentVersion)) {
      throw new Error(`PII current key version ${spec.currentVersion} has no key`);
    }
    if (spec.indexKey.length < MIN_INDEX_KEY_BYTES) {
      throw new Error(`PII index key must be at least ${MIN_INDEX_KEY_BYTES} bytes, got ${spec.indexKey.length}`);
    }
    this.keys = keys;
    this.currentVersion = spec.currentVersion;
    this.indexKey = Buffer.from(spec.indexKey);
  }

  /**
   * Builds a cipher from environment variables:
   * `PII_ENCRYPTION_KEYS` = `1:<base64 32 bytes>,2:<base64 32 bytes>`,
   * `PII_INDEX_KEY` = base64 of at least 32 bytes. Errors name the variable
   * and never include key material.
   */
  static fromEnv(spec: { keys: string; currentVersion: number; indexKey: string }): PiiCipher {
    const keys: Record<number, Buffer> = {};
    const entries = spec.keys.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    if (entries.length === 0) throw new Error('PII_ENCRYPTION_KEYS: expected "1:<base64 32 bytes>[,2:<base64>…]"');
    for (const entry of entries) {
      const match = /^(\d+):(.+)$/.exec(entry);
      if (!match) throw new Error('PII_ENCRYPTION_KEYS: each entry must be "<version>:<base64 key>"');
      const [, versionText = '', encoded = ''] = match;
      const version = Number(versionText);
      if (!Number.isSafeInteger(version) || version < 1) {
        throw new Error('PII_ENCRYPTION_KEYS: key versions are whole numbers from 1');
      }
      if (version in keys) throw new Error(`PII_ENCRYPTION_KEYS: key version ${version} appears twice`);
      const key = decodeBase64(encoded);
      if (key?.length !== KEY_BYTES) {
        throw new Error(
          `PII_ENCRYPTION_KEYS: key version ${version} must be base64 of exactly ${KEY_BYTES} bytes` +
            (key ? `, got ${key.length}` : ''),
        );
      }
      keys[version] = key;
    }
    if (!(spec.currentVersion in keys)) {
      throw new Error(`PII_ENCRYPTION_KEYS: no key for the current version ${spec.currentVersion}`);
    }
    const indexKey = decodeBase64(spec.indexKey.trim());
    if (!indexKey || indexKey.length < MIN_INDEX_KEY_BYTES) {
      throw new Error(
        `PII_INDEX_KEY: must be base64 of at least ${MIN_INDEX_KEY_BYTES} bytes` +
          (indexKey ? `, got ${indexKey.length}` : ''),
      );
    }
    return new PiiCipher({ keys, currentVersion: spec.currentVersion, indexKey });
  }

  /** A fresh random 32-byte key, base64: for `PII_ENCRYPTION_KEYS` or `PII_INDEX_KEY`. */
  static generateKey(): string {
    return randomBytes(KEY_BYTES).toString('base64');
  }

  /** Encrypts with the current key and a fresh random IV. */
  encrypt(plain: string): EncryptedValue {
    const key = this.keyFor(this.currentVersion);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return {
      v: this.currentVersion,
      iv: iv.toString('base64'),
      ct: ct.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
  }

  /**
   * Decrypts with the key of the value's own version.
   * @throws PiiDecryptError on an unknown version, a malformed value, or any tampering.
   */
  decrypt(value: EncryptedValue): string {
    const key = this.keys.get(value.v);
    if (!key) throw new PiiDecryptError(`no PII key for version ${value.v}`);
    const iv = decodeBase64(value.iv);
    const tag = decodeBase64(value.tag);
    const ct = decodeBase64(value.ct);
    // Node accepts shorter GCM tags unless told otherwise; a truncated tag is a forgery aid.
    if (iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || !ct) {
      throw new PiiDecryptError('malformed encrypted PII value');
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    } catch {
      throw new PiiDecryptError('encrypted PII value failed authentication');
    }
  }

  /** True when the value was encrypted under an older key and should be re-encrypted. */
  needsReencryption(value: EncryptedValue): boolean {
    return value.v !== this.currentVersion;
  }

  /**
   * Deterministic keyed hash of a canonical identifier, hex, for exact
   * lookups ("is this CCCD already linked?") without storing it in clear.
   * The kind is hashed in, so the same digits as a phone and as an account
   * give unrelated indexes. Pass canonical values (`normalizePhone` output,
   * digits only), or equal identifiers will not match.
   */
  blindIndex(kind: BlindIndexKind, canonicalValue: string): string {
    return createHmac('sha256', this.indexKey)
      .update(`${INDEX_DOMAIN}\u0000${kind}\u0000${canonicalValue}`, 'utf8')
      .digest('hex');
  }

  private keyFor(version: number): Buffer {
    const key = this.keys.get(version);
    if (!key) throw new Error(`no PII key for version ${version}`);
    return key;
  }
}

/**
 * Strict base64: Buffer.from silently skips invalid characters, which would
 * turn a mistyped key into a different, shorter key. Returns undefined instead.
 */
function decodeBase64(text: string): Buffer | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}
