/** Staff keys: the roles a key may have (what each may do: src/http/admin/roles.ts). */
export const STAFF_ROLES = ['admin', 'reviewer', 'broadcaster', 'viewer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
