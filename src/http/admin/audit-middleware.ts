import type { Request, Response } from 'express';
import type { Logger } from '../../logger.js';
import type { AuditActor, AuditDetails } from '../../db/models/audit-log.js';
import type { AuditService } from '../../domain/audit.js';
import type { StaffIdentity } from '../../domain/staff-keys.js';
import { staffOf } from './auth.js';
import { errorMessage } from '../../errors.js';

/** What a write handler tells the audit log about the thing it changed. */
export interface AuditTarget {
  targetId: string | null;
  /** Ids, codes, counts, statuses: never names, phone numbers, CCCD or account numbers. */
  details?: AuditDetails;
}

export interface AuditWhat extends AuditTarget {
  action: string;
  targetType: string;
}

/** Long user agents are noise, and unbounded input does not belong in an append-only store. */
const MAX_USER_AGENT = 300;

/** The caller's user agent as the audit log keeps it (capped), or null. */
export const userAgentOf = (req: Request): string | null => req.get('user-agent')?.slice(0, MAX_USER_AGENT) ?? null;

export const actorOf = (staff: StaffIdentity): AuditActor => ({
  keyId: staff.keyId,
  label: staff.label,
  role: staff.role,
  province: staff.province,
});

/**
 * Records a successful write made by the authenticated caller of `req`. The
 * route registry calls this after the handler's write and before the response,
 * so a client never sees success for a write that has no audit entry unless
 * recording itself failed. Without multi-document transactions (FerretDB) the
 * two writes cannot be atomic; if recording fails the write has already
 * happened, so we answer success rather than invite a retry that would repeat
 * it, and log the entry (it holds no personal data) at error level for recovery.
 */
export async function recordAudit(audit: AuditService, logger: Logger, req: Request, res: Response, what: AuditWhat): Promise<void> {
  const entry = {
    actor: actorOf(staffOf(res)),
    action: what.action,
    target: { type: what.targetType, id: what.targetId },
    details: what.details ?? {},
    ip: req.ip ?? null,
    userAgent: userAgentOf(req),
  };
  try {
    await audit.record(entry);
  } catch (err) {
    logger.error({ event: 'audit_write_failed', entry, err: errorMessage(err) }, 'audit entry NOT recorded for a completed write');
  }
}
