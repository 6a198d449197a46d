import type { DomainDeps, Notify } from './deps.js';
import { importJobErrorModel, importJobModel } from '../db/models/import-job.js';
import { ChatUserService } from './chat-users.js';
import { AudienceService } from './audience.js';
import { PaymentNotices } from './payment-notices.js';
import { NoticePhones } from './notice-phones.js';
import { parseDailyWindow } from './quiet-hours.js';
import { BeneficiaryRegistry } from './beneficiaries.js';
import { IdentityService } from './identity.js';
import { LinkService } from './links.js';
import { PaymentMethodService } from './payment-methods.js';
import { PaymentStatusService } from './payment-status.js';
import { ImportService } from './imports.js';
import { FraudService } from './fraud.js';
import { MyDataService } from './my-data.js';
import { recordLeases } from './record-lease.js';
import { StaffAlerts } from './staff-alerts.js';

/** All domain services, for the composition root and the flows. */
export interface Domain {
  chatUsers: ChatUserService;
  /** Who a broadcast reaches. */
  audience: AudienceService;
  /** Tells linked people when the ledger marks a payment paid or returned. */
  paymentNotices: PaymentNotices;
  /** The register's phone for a chat's person, for a Zalo template by phone. */
  noticePhones: NoticePhones;
  beneficiaries: BeneficiaryRegistry;
  identity: IdentityService;
  links: LinkService;
  paymentMethods: PaymentMethodService;
  paymentStatus: PaymentStatusService;
  imports: ImportService;
  fraud: FraudService;
  myData: MyDataService;
}

/**
 * Builds the services in dependency order: each gets exactly what its deps
 * type names, other services included, so what a service can reach is read
 * off its constructor. The order below is the dependency graph; it has no
 * cycle (a service built later is never passed to one built earlier).
 */
export function createDomain(deps: DomainDeps): Domain {
  const { connection, models, claims, cipher, config, logger, now } = deps;
  // Read at call time: the Notifier's channels are registered after the domain is built.
  const notify: Notify = (chat, ...replies) => deps.notifier.notify(chat, ...replies);
  const oneAtATime = recordLeases(claims);
  const staffAlerts = new StaffAlerts(notify, config.staffAlertTelegramChatId);

  const chatUsers = new ChatUserService(models.chatUsers);
  const audience = new AudienceService(models);
  const beneficiaries = new BeneficiaryRegistry({ models, cipher });
  const identity = new IdentityService({ models, beneficiaries, claims, logger, now });
  const links = new LinkService({ models, beneficiaries, claims, notify, logger, now });
  const paymentStatus = new PaymentStatusService({ models, beneficiaries, payments: config.payments, now });
  const paymentMethods = new PaymentMethodService({
    models,
    beneficiaries,
    links,
    paymentStatus,
    oneAtATime,
    cipher,
    notify,
    staffAlerts,
    payments: config.payments,
    bhxhHotline: config.bhxhHotline,
    logger,
    now,
  });
  const imports = new ImportService({
    models,
    jobs: importJobModel(connection),
    jobErrors: importJobErrorModel(connection),
    beneficiaries,
    claims,
    cipher,
    logger,
    now,
  });
  const fraud = new FraudService({ models, links, claims, oneAtATime, notify, staffAlerts, logger, now });
  const myData = new MyDataService({ models, fraud, logger });
  const noticePhones = new NoticePhones({ models, cipher });
  const paymentNotices = new PaymentNotices({
    models,
    audience,
    claims,
    notify,
    bhxhHotline: config.bhxhHotline,
    quietHours: parseDailyWindow(config.broadcast.quietHours),
    timeZone: 'Asia/Ho_Chi_Minh',
    logger,
    now,
  });
  return { chatUsers, audience, paymentNotices, noticePhones, beneficiaries, identity, links, paymentMethods, paymentStatus, imports, fraud, myData };
}
