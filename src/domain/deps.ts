import type { Connection } from 'mongoose';
import type { Claims } from '../db/claims.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { PiiCipher } from '../security/pii-crypto.js';
import type { ChatKey, Reply } from '../messaging/types.js';
import type { Notifier } from './notifier.js';
import { beneficiaryModel } from '../db/models/beneficiary.js';
import { beneficiaryLinkModel } from '../db/models/beneficiary-link.js';
import { identityAttemptModel } from '../db/models/identity-attempt.js';
import { paymentModel } from '../db/models/payment.js';
import { paymentMethodRequestModel } from '../db/models/payment-method-request.js';
import { fraudReportModel } from '../db/models/fraud-report.js';
import { chatUserModel } from '../db/models/chat-user.js';
import { conversationModel } from '../db/models/conversation.js';
import { simulatorMessageModel } from '../db/models/simulator-message.js';

/** Every model a domain service may write. Domain services are the only writers. */
export function domainModels(connection: Connection) {
  return {
    beneficiaries: beneficiaryModel(connection),
    links: beneficiaryLinkModel(connection),
    identityAttempts: identityAttemptModel(connection),
    payments: paymentModel(connection),
    requests: paymentMethodRequestModel(connection),
    fraudReports: fraudReportModel(connection),
    chatUsers: chatUserModel(connection),
    conversations: conversationModel(connection),
    simulatorMessages: simulatorMessageModel(connection),
  };
}
export type DomainModels = ReturnType<typeof domainModels>;

/**
 * Sends a message to a chat outside a conversation turn; true when delivered.
 * What services get instead of the Notifier: they send, they never register channels.
 */
export type Notify = (chat: ChatKey, ...replies: Reply[]) => Promise<boolean>;

/**
 * What `createDomain` builds the services from. Only the composition reads
 * it: each service declares the few things it uses in its own deps type.
 */
export interface DomainDeps {
  connection: Connection;
  models: DomainModels;
  /** Leases, single-use claims, attempt windows and sequences that hold across instances. */
  claims: Claims;
  cipher: PiiCipher;
  notifier: Notifier;
  config: Config;
  logger: Logger;
  now: () => Date;
}
