import type { DomainDeps } from './deps.js';
import type { Domain } from './domain.js';

/** Identity checks (link my own record) and lockouts after repeated failures. */
export class IdentityService {
  constructor(
    private readonly deps: DomainDeps,
    private readonly domain: Domain,
  ) {}
}
