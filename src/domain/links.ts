import type { DomainDeps } from './deps.js';
import type { Domain } from './domain.js';

/** Links between chats and beneficiaries: self links, relatives' links awaiting staff approval, reminders. */
export class LinkService {
  constructor(
    private readonly deps: DomainDeps,
    private readonly domain: Domain,
  ) {}
}
