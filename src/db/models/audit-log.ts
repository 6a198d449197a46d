import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** Scalars only: a flat record is easy to review for personal data, which it must never hold. */
export type AuditDetails = Record<string, string | number | boolean | null>;

/** Who did it. `keyId` is null for writes made outside the API (start-up bootstrap, CLI). */
export interface AuditActor {
  keyId: string | null;
  label: string;
  role: string;
  province: string | null;
}

/** One write made through the admin API or the admin CLI. Never updated, never deleted. */
export interface AuditLogDoc {
  _id: Types.ObjectId;
  at: Date;
  actor: AuditActor;
  action: string;
  target: { type: string; id: string | null };
  details: AuditDetails;
  ip: string | null;
  userAgent: string | null;
}

const schema = new Schema<AuditLogDoc>(
  {
    at: { type: Date, required: true, default: () => new Date() },
    actor: {
      keyId: { type: String, default: null },
      label: { type: String, required: true },
      role: { type: String, required: true },
      province: { type: String, default: null },
    },
    action: { type: String, required: true },
    target: {
      type: { type: String, required: true },
      id: { type: String, default: null },
    },
    details: { type: Schema.Types.Mixed, default: {} },
    ip: { type: String, default: null },
    userAgent: { type: String, default: null },
  },
  { collection: 'audit_log', versionKey: false, minimize: false },
);
// Newest first with a stable tie-break: the admin listing pages on (at, _id).
schema.index({ at: -1, _id: -1 });
schema.index({ 'actor.keyId': 1, at: -1 });

/**
 * Append-only, enforced where every write in this codebase passes: the model.
 * It does not stop raw driver calls (`Model.collection`); in production the app's
 * database user should also lack update/remove rights on `audit_log`.
 */
function refuse(operation: string): never {
  throw new Error(`audit_log is append-only: ${operation} is not allowed`);
}

const QUERY_WRITES = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndDelete',
] as const;
for (const op of QUERY_WRITES) {
  // Both flavours: `Model.updateOne(...)` (query) and `doc.updateOne(...)` / `doc.deleteOne()` (document).
  schema.pre(op, { document: true, query: true }, () => refuse(op));
}
schema.pre('save', function () {
  if (!this.isNew) refuse('save of an existing entry');
});
schema.pre('bulkWrite', (ops: unknown[]) => {
  const allInserts = ops.every((op) => typeof op === 'object' && op !== null && Object.keys(op).every((k) => k === 'insertOne'));
  if (!allInserts) refuse('bulkWrite with updates or deletes');
});

export type AuditLogModel = Model<AuditLogDoc>;
export const auditLogModel = (c: Connection): AuditLogModel =>
  (c.models.AuditLog as AuditLogModel | undefined) ?? c.model<AuditLogDoc>('AuditLog', schema);
