import type { Types } from 'mongoose';
import type { BeneficiaryDoc, BenefitType, CurrentPaymentMethod } from '../db/models/beneficiary.js';
import type { DomainModels } from './deps.js';
import { maskDigits } from '../security/mask.js';
import type { PiiCipher } from '../security/pii-crypto.js';

/** A beneficiary record as staff import it, identifiers in clear (canonical forms). */
export interface BeneficiaryInput {
  bhxhCode: string;
  cccd?: string;
  fullName: string;
  birthDate: string; // YYYY-MM-DD
  gender: 'male' | 'female';
  phones: string[]; // canonical 0XXXXXXXXX
  provinceCode: string;
  districtCode?: string;
  communeCode?: string;
  benefitType: BenefitType;
  monthlyAmount: number;
  paymentMethod: { kind: CurrentPaymentMethod['kind']; bankBin?: string; account?: string; walletProvider?: string; holderName?: string };
}

/** What flows and staff see: no identifier in clear. */
export interface BeneficiaryView {
  id: string;
  bhxhCodeMasked: string;
  fullName: string;
  birthDate: string;
  provinceCode: string;
  benefitType: BenefitType;
  monthlyAmount: number;
  paymentMethod: { kind: CurrentPaymentMethod['kind']; bankBin?: string; accountMasked?: string; walletProvider?: string };
}

export interface BeneficiaryRegistryDeps {
  models: Pick<DomainModels, 'beneficiaries'>;
  cipher: Pick<PiiCipher, 'encrypt' | 'blindIndex'>;
}

/**
 * The beneficiary register: encrypts identifiers and keeps blind indexes, so
 * lookups by CCCD or phone never need a decrypted scan.
 */
export class BeneficiaryRegistry {
  constructor(private readonly deps: BeneficiaryRegistryDeps) {}

  /** Stored form of an input row: encrypted identifiers plus blind indexes. */
  toStored(input: BeneficiaryInput): Omit<BeneficiaryDoc, '_id' | 'createdAt' | 'updatedAt' | 'frozen' | 'selfServiceLockedUntil' | 'lastMethodChangeAt' | 'importHash'> {
    const { cipher } = this.deps;
    const method = input.paymentMethod;
    return {
      bhxhCode: input.bhxhCode,
      ...(input.cccd ? { cccd: cipher.encrypt(input.cccd), cccdIndex: cipher.blindIndex('cccd', input.cccd) } : {}),
      fullName: input.fullName,
      birthDate: input.birthDate,
      gender: input.gender,
      phones: input.phones.map((p) => cipher.encrypt(p)),
      phoneIndexes: input.phones.map((p) => cipher.blindIndex('phone', p)),
      provinceCode: input.provinceCode,
      districtCode: input.districtCode,
      communeCode: input.communeCode,
      benefitType: input.benefitType,
      monthlyAmount: input.monthlyAmount,
      paymentMethod: {
        kind: method.kind,
        bankBin: method.bankBin,
        walletProvider: method.walletProvider,
        holderName: method.holderName,
        ...(method.account
          ? {
              account: cipher.encrypt(method.account),
              accountMasked: maskDigits(method.account),
              accountIndex: cipher.blindIndex('account', method.account),
            }
          : {}),
      },
    };
  }

  /** Inserts or replaces by BHXH code. Returns whether the row was new. */
  async upsert(input: BeneficiaryInput, importHash?: string): Promise<{ id: Types.ObjectId; created: boolean }> {
    const doc = await this.deps.models.beneficiaries
      .findOneAndUpdate(
        { bhxhCode: input.bhxhCode },
        // Without a hash the stored one no longer describes the row: drop it, or a re-import would take the row for unchanged.
        { $set: { ...this.toStored(input), ...(importHash ? { importHash } : {}) }, ...(importHash ? {} : { $unset: { importHash: 1 } }), $setOnInsert: { frozen: false } },
        { upsert: true, returnDocument: 'after', includeResultMetadata: true, lean: true },
      )
      .exec();
    return { id: doc.value!._id, created: !doc.lastErrorObject?.updatedExisting };
  }

  async byBhxhCode(code: string): Promise<BeneficiaryDoc | null> {
    return this.deps.models.beneficiaries.findOne({ bhxhCode: code }).lean().exec();
  }

  async byCccd(cccd: string): Promise<BeneficiaryDoc | null> {
    return this.deps.models.beneficiaries.findOne({ cccdIndex: this.deps.cipher.blindIndex('cccd', cccd) }).lean().exec();
  }

  async byId(id: Types.ObjectId | string): Promise<BeneficiaryDoc | null> {
    return this.deps.models.beneficiaries.findById(id).lean().exec();
  }

  hasPhone(doc: BeneficiaryDoc, canonicalPhone: string): boolean {
    return doc.phoneIndexes.includes(this.deps.cipher.blindIndex('phone', canonicalPhone));
  }

  view(doc: BeneficiaryDoc): BeneficiaryView {
    return {
      id: String(doc._id),
      bhxhCodeMasked: maskDigits(doc.bhxhCode),
      fullName: doc.fullName,
      birthDate: doc.birthDate,
      provinceCode: doc.provinceCode,
      benefitType: doc.benefitType,
      monthlyAmount: doc.monthlyAmount,
      paymentMethod: {
        kind: doc.paymentMethod.kind,
        bankBin: doc.paymentMethod.bankBin,
        accountMasked: doc.paymentMethod.accountMasked,
        walletProvider: doc.paymentMethod.walletProvider,
      },
    };
  }
}
