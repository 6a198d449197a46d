import mongoose from 'mongoose';
import { isDuplicateKey, USER_FILTER } from '../db/connect.js';
import type { StaffKeyDoc, StaffKeyModel, StaffRole } from '../db/models/staff-key.js';
import { displayPrefix, generateApiKey, hashApiKey } from '../security/api-keys.js';

/** Who is calling, as the rest of the admin API sees it. */
export interface StaffIdentity {
  keyId: string;
  label: string;
  role: StaffRole;
  province: string | null;
}

/** A key as shown to staff: everything except the hash. */
export interface StaffKeyView {
  id: string;
  label: string;
  role: StaffRole;
  province: string | null;
  keyPrefix: string;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export type RevokeResult =
  | { status: 'revoked'; record: StaffKeyView }
  | { status: 'already_revoked'; record: StaffKeyView }
  | { status: 'not_found' };

export type BootstrapResult = 'created' | 'admin_exists' | 'key_revoked';

/** `lastUsedAt` is informational; writing it on every request would double the load of a busy key. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** 32 random characters or more; the length alone cannot prove randomness, but it rules out "admin123". */
export const MIN_BOOTSTRAP_LENGTH = 32;
/** Longer than any key we issue or a sane bootstrap value; stops hashing megabytes of header. */
const MAX_KEY_LENGTH = 256;

const toView = (doc: StaffKeyDoc): StaffKeyView => ({
  id: doc._id.toHexString(),
  label: doc.label,
  role: doc.role,
  province: doc.province,
  keyPrefix: doc.keyPrefix,
  createdAt: doc.createdAt,
  createdBy: doc.createdBy,
  revokedAt: doc.revokedAt,
  lastUsedAt: doc.lastUsedAt,
});


/** Staff API keys: issue, authenticate, revoke. The only writer of staff_keys. */
export class StaffKeyService {
  constructor(private readonly model: StaffKeyModel) {}

  /**
   * The key's identity, or null when it is unknown or revoked. Safe against
   * timing attacks by construction: we never compare the secret, we look up its
   * sha256, and how long that lookup takes says nothing about how close a guess was.
   */
  async authenticate(bearer: string): Promise<StaffIdentity | null> {
    if (bearer.length === 0 || bearer.length > MAX_KEY_LENGTH) return null;
    const doc = await this.model.findOne({ keyHash: hashApiKey(bearer), revokedAt: null }).setOptions(USER_FILTER).lean().exec();
    if (!doc) return null;
    const now = Date.now();
    if (!doc.lastUsedAt || now - doc.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      await this.model.updateOne({ _id: doc._id }, { $set: { lastUsedAt: new Date(now) } }).exec();
    }
    return { keyId: doc._id.toHexString(), label: doc.label, role: doc.role, province: doc.province };
  }

  /** The identity of an active key by id (console sessions re-check it on every request), or null. */
  async activeIdentity(id: string): Promise<StaffIdentity | null> {
    if (!mongoose.isValidObjectId(id)) return null;
    const doc = await this.model.findOne({ _id: id, revokedAt: null }).lean().exec();
    return doc ? { keyId: doc._id.toHexString(), label: doc.label, role: doc.role, province: doc.province } : null;
  }

  /** Issues a key. The plaintext is returned here once and stored nowhere. */
  async create(input: { role: StaffRole; province: string | null; label: string; createdBy: string }): Promise<{ key: string; record: StaffKeyView }> {
    const key = generateApiKey();
    const doc = await this.model.create({
      label: input.label,
      role: input.role,
      province: input.province,
      keyHash: hashApiKey(key),
      keyPrefix: displayPrefix(key),
      createdBy: input.createdBy,
    });
    return { key, record: toView(doc.toObject()) };
  }

  /** Keys newest first; `province` limits to keys of that province (a scoped admin's view). */
  async list(filter: { province?: string | null; status?: 'active' | 'revoked' | 'all' } = {}): Promise<StaffKeyView[]> {
    const query: Record<string, unknown> = {};
    if (filter.province) query.province = filter.province;
    if (filter.status === 'active') query.revokedAt = null;
    // Ours, not user input: marked trusted so USER_FILTER's sanitizeFilter leaves it an operator.
    if (filter.status === 'revoked') query.revokedAt = mongoose.trusted({ $ne: null });
    const docs = await this.model.find(query).setOptions(USER_FILTER).sort({ createdAt: -1, _id: -1 }).lean().exec();
    return docs.map(toView);
  }

  async get(id: string): Promise<StaffKeyView | null> {
    const doc = await this.model.findById(id).lean().exec();
    return doc ? toView(doc) : null;
  }

  /**
   * The labels of these keys (revoked ones included), by the id asked for, in one
   * query; unknown and malformed ids are left out.
   */
  async labels(ids: Iterable<string>): Promise<Map<string, string>> {
    const hexOf = new Map<string, string>();
    for (const id of ids) if (mongoose.isValidObjectId(id)) hexOf.set(id, new mongoose.Types.ObjectId(id).toHexString());
    if (hexOf.size === 0) return new Map();
    const docs = await this.model.find({ _id: { $in: [...new Set(hexOf.values())] } }, { label: 1 }).lean().exec();
    const byHex = new Map(docs.map((d) => [d._id.toHexString(), d.label]));
    const labels = new Map<string, string>();
    for (const [id, hex] of hexOf) {
      const label = byHex.get(hex);
      if (label !== undefined) labels.set(id, label);
    }
    return labels;
  }

  /**
   * Revokes for good; `province` (a scoped admin) makes keys of other provinces look absent.
   *
   * No single-use claim here, unlike other status changes: on FerretDB two
   * admins revoking at once may both get `revoked` (its conditional update is
   * not atomic, issue #3040), but the outcome is the same revoked key, each
   * audit row records a revocation that admin really asked for, and nobody
   * else is told. Only `revokedAt` may end up a few milliseconds later.
   */
  async revoke(id: string, options: { province?: string | null } = {}): Promise<RevokeResult> {
    const scope = options.province ? { province: options.province } : {};
    const doc = await this.model
      .findOneAndUpdate({ _id: id, revokedAt: null, ...scope }, { $set: { revokedAt: new Date() } }, { ...USER_FILTER, returnDocument: 'after', lean: true })
      .exec();
    if (doc) return { status: 'revoked', record: toView(doc) };
    const existing = await this.model.findOne({ _id: id, ...scope }).setOptions(USER_FILTER).lean().exec();
    return existing ? { status: 'already_revoked', record: toView(existing) } : { status: 'not_found' };
  }

  /**
   * First start: make `plainKey` an admin key unless an active admin key exists.
   * Idempotent across restarts and racing instances (the hash is unique). A
   * bootstrap value whose key was revoked is not brought back to life.
   */
  async ensureBootstrapAdmin(plainKey: string): Promise<{ result: BootstrapResult; record?: StaffKeyView }> {
    // An admin key must be as unguessable as the ones we generate (43 base64url characters).
    if (plainKey.length < MIN_BOOTSTRAP_LENGTH) throw new Error(`ADMIN_BOOTSTRAP_KEY must be at least ${MIN_BOOTSTRAP_LENGTH} characters`);
    const activeAdmin = await this.model.exists({ role: 'admin', revokedAt: null }).exec();
    if (activeAdmin) return { result: 'admin_exists' };
    const keyHash = hashApiKey(plainKey);
    const previous = await this.model.findOne({ keyHash }).lean().exec();
    if (previous) return { result: previous.revokedAt ? 'key_revoked' : 'admin_exists' };
    try {
      const doc = await this.model.create({
        label: 'bootstrap admin',
        role: 'admin',
        province: null,
        keyHash,
        keyPrefix: displayPrefix(plainKey),
        createdBy: 'bootstrap',
      });
      return { result: 'created', record: toView(doc.toObject()) };
    } catch (err) {
      // Another instance created it between our check and our insert.
      if (isDuplicateKey(err)) return { result: 'admin_exists' };
      throw err;
    }
  }
}
