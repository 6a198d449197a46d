import type { DomainDeps } from './deps.js';
import type { Domain } from './domain.js';

/** Fraud reports: case numbers, urgency, staff alerts, triage and telling the reporter. */
export class FraudService {
  constructor(
    private readonly deps: DomainDeps,
    private readonly domain: Domain,
  ) {}
}
