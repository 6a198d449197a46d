import mongoose, { Types } from 'mongoose';
import { USER_FILTER } from '../db/connect.js';
import type { AuditActor, AuditDetails, AuditLogDoc, AuditLogModel } from '../db/models/audit-log.js';
import { DomainError } from './errors.js';

export interface AuditEntryInput {
  actor: AuditActor;
  action: string;
  target: { type: string; id: string | null };
  details?: AuditDetails;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEntryView extends Omit<AuditEntryInput, 'details'> {
  id: string;
  at: Date;
  details: AuditDetails;
}

export interface AuditQuery {
  from?: Date;
  to?: Date;
  action?: string;
  keyId?: string;
  /** Entries by keys of this province only (a scoped admin's view). */
  actorProvince?: string | null;
  limit: number;
  cursor?: string;
}

/** A paging cursor this API did not hand out (forged or from another version): the caller's input is at fault. */
export class InvalidCursorError extends DomainError {
  override name = 'InvalidCursorError';
  constructor(message: string) {
    super('invalid_input', message, { details: { field: 'cursor' } });
  }
}

const toView = (doc: AuditLogDoc): AuditEntryView => ({
  id: doc._id.toHexString(),
  at: doc.at,
  actor: { keyId: doc.actor.keyId, label: doc.actor.label, role: doc.actor.role, province: doc.actor.province },
  action: doc.action,
  target: { type: doc.target.type, id: doc.target.id },
  details: doc.details,
  ip: doc.ip,
  userAgent: doc.userAgent,
});

/** Opaque to clients: the (at, _id) of the last entry of a page. */
function encodeCursor(doc: { at: Date; _id: Types.ObjectId }): string {
  return Buffer.from(`${doc.at.getTime()}.${doc._id.toHexString()}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: Types.ObjectId } {
  const match = /^(\d{1,15})\.([0-9a-f]{24})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursorError('cursor is not one this API returned');
  return { at: new Date(Number(match[1])), id: new Types.ObjectId(match[2]) };
}

/** The audit trail of staff writes. Append and read; the model refuses anything else. */
export class AuditService {
  constructor(private readonly model: AuditLogModel) {}

  async record(entry: AuditEntryInput): Promise<AuditEntryView> {
    const doc = await this.model.create({ ...entry, details: entry.details ?? {}, at: new Date() });
    return toView(doc.toObject());
  }

  /** Newest first, `limit` at a time; pass the returned `nextCursor` for the next page. */
  async list(query: AuditQuery): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
    // Values come from the request (validated); USER_FILTER neutralises any operator
    // smuggled in them, and the operator objects built here are marked trusted.
    const filter: Record<string, unknown> = {};
    const and: Record<string, unknown>[] = [];
    if (query.from || query.to) {
      filter.at = mongoose.trusted({ ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) });
    }
    if (query.action) filter.action = query.action;
    if (query.keyId) filter['actor.keyId'] = query.keyId;
    if (query.actorProvince) filter['actor.province'] = query.actorProvince;
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      and.push({
        $or: [{ at: mongoose.trusted({ $lt: after.at }) }, { at: after.at, _id: mongoose.trusted({ $lt: after.id }) }],
      });
    }
    if (and.length > 0) filter.$and = and;
    const docs = await this.model
      .find(filter)
      .setOptions(USER_FILTER)
      .sort({ at: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean()
      .exec();
    const page = docs.slice(0, query.limit);
    const last = page[page.length - 1];
    return { items: page.map(toView), nextCursor: docs.length > query.limit && last ? encodeCursor(last) : null };
  }
}
