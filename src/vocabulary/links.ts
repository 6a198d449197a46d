/**
 * The words of relative links, shared by flows, domain, models and routes
 * (flows never import models: they take the vocabulary from here).
 */
export const RELATIONSHIPS = ['child', 'spouse', 'grandchild', 'guardian', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];
export type LinkRole = 'self' | 'authorised' | 'guardian';
export type LinkStatus = 'active' | 'pending' | 'rejected' | 'revoked' | 'expired';

/** The authorisation (giấy ủy quyền) or guardianship paper a relative registers with. */
export interface LinkDocument {
  kind: 'authorisation' | 'guardianship';
  number: string;
  issuedOn: string; // YYYY-MM-DD
  issuer: string;
  expiresOn?: string; // YYYY-MM-DD; authorisations last at most 12 months
  photoRef: string;
}
