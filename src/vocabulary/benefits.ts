/** Beneficiaries: the benefit types BHXH pays, how a payment reaches the person, and what became of a payment. */
export const BENEFIT_TYPES = ['pension', 'monthly_allowance', 'lump_sum', 'unemployment', 'social_assistance', 'merit'] as const;
export type BenefitType = (typeof BENEFIT_TYPES)[number];
export const PAYMENT_METHODS = ['bank', 'ewallet', 'cash_post', 'cash_home'] as const;
export type PaymentMethodKind = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_STATUSES = ['scheduled', 'paid', 'failed', 'returned', 'awaiting_cash_pickup'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
