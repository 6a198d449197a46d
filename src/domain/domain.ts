import type { DomainDeps } from './deps.js';
import { ChatUserService } from './chat-users.js';
import { BeneficiaryRegistry } from './beneficiaries.js';
import { IdentityService } from './identity.js';
import { LinkService } from './links.js';
import { PaymentMethodService } from './payment-methods.js';
import { PaymentStatusService } from './payment-status.js';
import { ImportService } from './imports.js';
import { FraudService } from './fraud.js';
import { MyDataService } from './my-data.js';

/** All domain services. Services reach each other through this bag, filled once at start. */
export interface Domain {
  chatUsers: ChatUserService;
  beneficiaries: BeneficiaryRegistry;
  identity: IdentityService;
  links: LinkService;
  paymentMethods: PaymentMethodService;
  paymentStatus: PaymentStatusService;
  imports: ImportService;
  fraud: FraudService;
  myData: MyDataService;
}

export function createDomain(deps: DomainDeps): Domain {
  const domain = {} as Domain;
  Object.assign(domain, {
    chatUsers: new ChatUserService(deps.models.chatUsers),
    beneficiaries: new BeneficiaryRegistry(deps),
    identity: new IdentityService(deps, domain),
    links: new LinkService(deps, domain),
    paymentMethods: new PaymentMethodService(deps, domain),
    paymentStatus: new PaymentStatusService(deps, domain),
    imports: new ImportService(deps, domain),
    fraud: new FraudService(deps, domain),
    myData: new MyDataService(deps, domain),
  } satisfies Domain);
  return domain;
}
