import type { DomainDeps } from './deps.js';
import type { Domain } from './domain.js';

/** Payment status from the monthly ledger: this period, the last six, the next expected date. */
export class PaymentStatusService {
  constructor(
    private readonly deps: DomainDeps,
    private readonly domain: Domain,
  ) {}
}
