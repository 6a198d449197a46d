import type { Claims } from '../db/claims.js';
import type { AuditService } from '../domain/audit.js';
import type { Domain } from '../domain/domain.js';
import type { InboundLog } from '../engine/inbound-log.js';
import type { Job } from './scheduler.js';

export interface AppJobsDeps {
  claims: Claims;
  inboundLog: InboundLog;
  domain: Pick<Domain, 'paymentMethods' | 'links' | 'identity' | 'imports' | 'paymentNotices'>;
  audit: AuditService;
  /** Console sign-ins that ran out (the admin router's session service). */
  sessions: { purgeExpired(now: Date): Promise<unknown> };
}

/** The periodic work of the app; the Scheduler runs each once per period across instances. */
export function appJobs({ claims, inboundLog, domain, audit, sessions }: AppJobsDeps): Job[] {
  return [
    { name: 'purge-claims', everyMs: 60 * 60_000, run: () => claims.purge() },
    { name: 'purge-processed-inbound', everyMs: 10 * 60_000, run: (now) => inboundLog.purgeExpired(now) },
    {
      name: 'apply-effective-payment-methods',
      everyMs: 60 * 60_000,
      run: async () => {
        const result = await domain.paymentMethods.applyEffective(null);
        // The most sensitive write there is: audited like the same action through the API.
        if (result.applied + result.skippedFrozen > 0) {
          await audit.record({
            actor: { keyId: null, label: 'system:scheduler', role: 'system', province: null },
            action: 'payment_request.apply_effective',
            target: { type: 'payment_request', id: null },
            details: { ...result },
            ip: null,
            userAgent: null,
          });
        }
      },
    },
    { name: 'authorisation-reminders', everyMs: 24 * 3600_000, run: (now) => domain.links.remindExpiring(now) },
    { name: 'purge-identity-attempts', everyMs: 60 * 60_000, run: (now) => domain.identity.purgeOld(now) },
    { name: 'purge-console-sessions', everyMs: 60 * 60_000, run: (now) => sessions.purgeExpired(now) },
    { name: 'fail-stalled-imports', everyMs: 10 * 60_000, run: (now) => domain.imports.failStalled(now) },
    // A ledger import's paid and returned payments reach the people linked to them within minutes.
    { name: 'payment-notices', everyMs: 5 * 60_000, run: () => domain.paymentNotices.sendDue() },
  ];
}
