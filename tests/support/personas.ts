import type { BeneficiaryInput } from '../../src/domain/beneficiaries.js';
import type { Domain } from '../../src/domain/domain.js';

/**
 * Invented beneficiaries with valid-format identifiers, shared by the e2e suites.
 * CCCD: province 001 (Hà Nội) / 031 (Hải Phòng), century+gender digit, 2-digit birth year.
 */
export const PERSONAS = {
  /** Male pensioner, paid in cash at the post office today. */
  an: {
    bhxhCode: '0101234567',
    cccd: '001052012345',
    fullName: 'Nguyễn Văn An',
    birthDate: '1952-03-05',
    gender: 'male',
    phones: ['0912345678'],
    provinceCode: '01',
    districtCode: '001',
    communeCode: '00001',
    benefitType: 'pension',
    monthlyAmount: 4_350_000,
    paymentMethod: { kind: 'cash_post' },
  },
  /** Female pensioner, already paid by bank account. */
  binh: {
    bhxhCode: '0107654321',
    cccd: '001155054321',
    fullName: 'Trần Thị Bình',
    birthDate: '1955-11-20',
    gender: 'female',
    phones: ['0987654321', '0389123456'],
    provinceCode: '01',
    districtCode: '002',
    benefitType: 'pension',
    monthlyAmount: 5_120_000,
    paymentMethod: { kind: 'bank', bankBin: '970405', account: '1500205123456', holderName: 'TRAN THI BINH' },
  },
  /** Bedridden pensioner in Hải Phòng (province 31), whose son registers for him. */
  cuong: {
    bhxhCode: '3109876543',
    cccd: '031040098765',
    fullName: 'Lê Văn Cường',
    birthDate: '1940-07-15',
    gender: 'male',
    phones: ['0903111222'],
    provinceCode: '31',
    districtCode: '303',
    benefitType: 'pension',
    monthlyAmount: 3_800_000,
    paymentMethod: { kind: 'cash_home' },
  },
} satisfies Record<string, BeneficiaryInput>;

export type PersonaName = keyof typeof PERSONAS;

/** Puts the personas in the register through the domain service (as an import would). */
export async function seedPersonas(domain: Domain, names: PersonaName[] = Object.keys(PERSONAS) as PersonaName[]): Promise<Record<PersonaName, string>> {
  const ids = {} as Record<PersonaName, string>;
  for (const name of names) ids[name] = String((await domain.beneficiaries.upsert(PERSONAS[name])).id);
  return ids;
}
