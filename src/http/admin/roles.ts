import type { RequestHandler } from 'express';
import type { StaffRole } from '../../db/models/staff-key.js';
import type { StaffIdentity } from '../../domain/staff-keys.js';
import { ApiError } from './admin-errors.js';
import { staffOf } from './auth.js';

/** `admin` may do everything; the listed roles may call the route too. */
export function roleAllows(role: StaffRole, allowed: readonly StaffRole[]): boolean {
  return role === 'admin' || allowed.includes(role);
}

/** 403 `forbidden` unless the authenticated key has one of `roles` (or is admin). Runs after `authenticate`. */
export function requireRole(...roles: StaffRole[]): RequestHandler {
  return (_req, res, next) => {
    const staff = staffOf(res);
    if (!roleAllows(staff.role, roles)) {
      throw new ApiError(403, 'forbidden', `this key's role (${staff.role}) may not do this; needs ${['admin', ...roles.filter((r) => r !== 'admin')].join(' or ')}`);
    }
    next();
  };
}

/**
 * The province filter to apply for this caller: an unscoped key gets what it
 * asked for (null = every province); a scoped key always gets its own province,
 * and asking for another one is a 403 rather than a silently empty answer.
 */
export function provinceScope(staff: StaffIdentity, requested?: string | null): string | null {
  if (staff.province === null) return requested ?? null;
  if (requested !== undefined && requested !== null && requested !== staff.province) {
    throw new ApiError(403, 'forbidden', `this key is limited to province ${staff.province}`, { field: 'province' });
  }
  return staff.province;
}

/** A route as the capability answer needs it: its OpenAPI operation id and the roles besides admin that may call it. */
export interface RoleGatedOperation {
  operationId: string;
  roles: readonly StaffRole[];
}

/**
 * What a role may call, by OpenAPI operation id (`postBroadcastsByIdApprove`),
 * decided by the same `roleAllows` that guards each route. The staff console
 * hides what would be refused from this answer instead of restating the rule.
 */
export function capabilitiesOf(role: StaffRole, operations: readonly RoleGatedOperation[]): Record<string, boolean> {
  return Object.fromEntries(operations.map((op) => [op.operationId, roleAllows(role, op.roles)]));
}
