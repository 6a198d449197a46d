import type { Connection } from 'mongoose';
import { chatUserModel } from '../../src/db/models/chat-user.js';
import { beneficiaryModel } from '../../src/db/models/beneficiary.js';
import { beneficiaryLinkModel } from '../../src/db/models/beneficiary-link.js';
import { AudienceService } from '../../src/domain/audience.js';
import { ChatUserService } from '../../src/domain/chat-users.js';

/** The part of the domain broadcasting uses, for a worker process or a bench without the whole app. */
export function audienceDomain(connection: Connection) {
  return {
    chatUsers: new ChatUserService(chatUserModel(connection)),
    audience: new AudienceService({ chatUsers: chatUserModel(connection), links: beneficiaryLinkModel(connection), beneficiaries: beneficiaryModel(connection) }),
  };
}
