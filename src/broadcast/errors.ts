/** A refused broadcast action; `code` is a stable contract the admin API passes on. */
export class BroadcastError extends Error {
  override name = 'BroadcastError';
  constructor(
    readonly code:
      | 'not_found'
      | 'invalid_state'
      | 'link_invalid'
      | 'link_not_https'
      | 'link_not_allowed'
      | 'link_in_text'
      | 'four_eyes'
      | 'forbidden'
      | 'province_scope'
      | 'template_unknown'
      | 'template_fields'
      | 'template_invalid'
      | 'template_read_only'
      | 'template_conflict',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Who acts, as the broadcast rules need it (from the staff key). */
export interface BroadcastActor {
  keyId: string;
  role: string;
  /** null = every province. */
  province: string | null;
}
