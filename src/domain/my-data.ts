import type { DomainDeps } from './deps.js';
import type { Domain } from './domain.js';

/** A chat user's own data: what is stored (masked) and erasure on request. */
export class MyDataService {
  constructor(
    private readonly deps: DomainDeps,
    private readonly domain: Domain,
  ) {}
}
