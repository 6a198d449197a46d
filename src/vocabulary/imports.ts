/** Register and payment-ledger imports. */
export const IMPORT_KINDS = ['beneficiaries', 'ledger'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
