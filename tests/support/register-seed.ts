import type { TestApp } from './app.js';
import { beneficiaryModel } from '../../src/db/models/beneficiary.js';
import type { BeneficiaryInput } from '../../src/domain/beneficiaries.js';

/**
 * Writes register rows straight in, as an import stores them (encrypted
 * phones, blind indexes), in one insert: for tests at size whose subject is
 * not the import. Unnamed fields default to a pensioner of district 001,
 * province 01, paid in cash at the post office. Returns the ids in order.
 */
export async function insertRegister(app: TestApp, rows: (Pick<BeneficiaryInput, 'bhxhCode' | 'fullName'> & Partial<BeneficiaryInput>)[]): Promise<string[]> {
  const inserted = await beneficiaryModel(app.connection).insertMany(
    rows.map((row) => ({
      ...app.domain.beneficiaries.toStored({
        birthDate: '1950-03-05',
        gender: 'male',
        phones: [],
        provinceCode: '01',
        districtCode: '001',
        benefitType: 'pension',
        monthlyAmount: 4_350_000,
        paymentMethod: { kind: 'cash_post' },
        ...row,
      }),
      frozen: false,
    })),
    { lean: true },
  );
  return inserted.map((d) => String(d._id));
}
