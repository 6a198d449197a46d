import { DomainError, type DomainErrorCode } from '../domain/errors.js';

/** Why a broadcast action is refused: a stable code the admin API answers as `code`, and its broad kind (the HTTP status). */
const KIND_OF = {
  not_found: 'not_found',
  invalid_state: 'invalid_state',
  link_invalid: 'invalid_input',
  link_not_https: 'invalid_input',
  link_not_allowed: 'invalid_input',
  link_in_text: 'invalid_input',
  four_eyes: 'forbidden',
  forbidden: 'forbidden',
  province_scope: 'forbidden',
  template_unknown: 'invalid_input',
  template_fields: 'invalid_input',
  template_invalid: 'invalid_input',
  template_read_only: 'conflict',
  template_conflict: 'conflict',
  no_phone_template: 'invalid_input',
} as const satisfies Record<string, DomainErrorCode>;

export type BroadcastRefusal = keyof typeof KIND_OF;

/** A refused broadcast action, one of the domain's expected conditions. */
export class BroadcastError extends DomainError {
  override name = 'BroadcastError';
  readonly refusal: BroadcastRefusal;
  readonly field: string | undefined;

  constructor(refusal: BroadcastRefusal, message: string, field?: string) {
    super(KIND_OF[refusal], message, { reason: refusal, details: field === undefined ? {} : { field } });
    this.refusal = refusal;
    this.field = field;
  }
}

/** Who acts, as the broadcast rules need it (from the staff key). */
export interface BroadcastActor {
  keyId: string;
  role: string;
  /** null = every province. */
  province: string | null;
}
