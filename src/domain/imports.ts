import type { DomainDeps } from './deps.js';
import type { Domain } from './domain.js';

/** Imports of the beneficiary register and the monthly payment ledger, with progress and row errors. */
export class ImportService {
  constructor(
    private readonly deps: DomainDeps,
    private readonly domain: Domain,
  ) {}
}
