import type { DomainDeps } from './deps.js';
import type { Domain } from './domain.js';

/** Payment-method change requests: submission, account-takeover protections, staff review, effect. */
export class PaymentMethodService {
  constructor(
    private readonly deps: DomainDeps,
    private readonly domain: Domain,
  ) {}
}
