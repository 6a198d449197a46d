import { BENEFIT_TYPES, PAYMENT_METHODS, type BenefitType, type PaymentMethodKind } from '../../db/models/beneficiary.js';
import type { BeneficiaryInput } from '../beneficiaries.js';
import { bankByBin } from '../banks/bank-directory.js';
import { parseBankAccount } from '../validators/bank-account.js';
import { parseBhxhCode } from '../validators/bhxh-code.js';
import { cccdAgreesWithBirthDate, parseCccd } from '../validators/cccd.js';
import { isoDate, parseDate } from '../validators/dates.js';
import { parseVndAmount } from '../validators/money.js';
import { foldName } from '../validators/name-match.js';
import { normalizePhone } from '../validators/phone.js';
import { fail, ok, type Result } from '../validators/result.js';
import { cellError, type CellError, type RowResult } from './row-errors.js';

/** Columns of the beneficiary register file, in the documented order (docs/imports.md). */
export const BENEFICIARY_COLUMNS = [
  'bhxh_code',
  'cccd',
  'full_name',
  'date_of_birth',
  'gender',
  'phones',
  'province_code',
  'district_code',
  'commune_code',
  'benefit_type',
  'monthly_amount',
  'payment_method',
  'bank_bin',
  'account_number',
  'account_holder',
] as const;

/** Columns a file must have; the others may be left out when no row uses them. */
export const BENEFICIARY_REQUIRED_COLUMNS = [
  'bhxh_code',
  'full_name',
  'date_of_birth',
  'gender',
  'province_code',
  'benefit_type',
  'monthly_amount',
  'payment_method',
] as const;

/** One record as read from the file: column name → cell text. */
export type RawRow = Readonly<Record<string, string | undefined>>;

/** Vietnamese names staff put in spreadsheets, folded (no diacritics, lower case). */
const BENEFIT_ALIASES: Readonly<Record<string, BenefitType>> = {
  'huu tri': 'pension',
  'luong huu': 'pension',
  'tro cap hang thang': 'monthly_allowance',
  'bhxh hang thang': 'monthly_allowance',
  'hang thang': 'monthly_allowance',
  'mot lan': 'lump_sum',
  'tro cap mot lan': 'lump_sum',
  'bhxh mot lan': 'lump_sum',
  'that nghiep': 'unemployment',
  'tro cap that nghiep': 'unemployment',
  'bao tro xa hoi': 'social_assistance',
  'tro cap xa hoi': 'social_assistance',
  'nguoi co cong': 'merit',
  'co cong': 'merit',
  'uu dai nguoi co cong': 'merit',
};

const METHOD_ALIASES: Readonly<Record<string, PaymentMethodKind>> = {
  'ngan hang': 'bank',
  'tai khoan': 'bank',
  'tai khoan ngan hang': 'bank',
  'vi dien tu': 'ewallet',
  'mobile money': 'ewallet',
  'buu dien': 'cash_post',
  'tien mat': 'cash_post',
  'tai nha': 'cash_home',
  'chi tai nha': 'cash_home',
};

const GENDERS: Readonly<Record<string, 'male' | 'female'>> = { nam: 'male', male: 'male', m: 'male', nu: 'female', female: 'female', f: 'female' };

/** "Hưu trí" → "huu tri"; "cash_post" stays. */
export const foldWord = (text: string): string => foldName(text).toLowerCase();

function lookup<T extends string>(raw: string, canonical: readonly T[], aliases: Readonly<Record<string, T>>): T | undefined {
  const plain = raw.trim().toLowerCase();
  if ((canonical as readonly string[]).includes(plain)) return plain as T;
  return aliases[foldWord(raw)] ?? aliases[plain];
}

export const cell = (row: RawRow, column: string): string => (row[column] ?? '').trim();

/** Parses an optional code of `length` digits: '' is absent, anything else must fit. */
function digitsCode(value: string, length: number): Result<string | undefined, 'format'> {
  if (value === '') return ok(undefined);
  return new RegExp(`^\\d{${length}}$`).test(value) ? ok(value) : fail('format');
}

/**
 * Turns one register row into the registry's canonical input, or lists every
 * refused cell so staff can fix the row in one pass. `now` bounds dates of birth.
 */
export function parseBeneficiaryRow(row: RawRow, now: Date): RowResult<BeneficiaryInput> {
  const errors: CellError[] = [];
  const required = (column: string): string | undefined => {
    const value = cell(row, column);
    if (value === '') errors.push(cellError(column, 'missing_value'));
    return value === '' ? undefined : value;
  };

  const bhxhText = required('bhxh_code');
  const bhxh = bhxhText === undefined ? undefined : parseBhxhCode(bhxhText);
  if (bhxh && !bhxh.ok) errors.push(cellError('bhxh_code', 'invalid_bhxh_code'));

  const fullName = required('full_name')?.replace(/\s+/g, ' ');
  if (fullName !== undefined && fullName.length > 100) errors.push(cellError('full_name', 'invalid_name'));

  const dobText = required('date_of_birth');
  const dob = dobText === undefined ? undefined : parseDate(dobText, now);
  if (dob && !dob.ok) errors.push(cellError('date_of_birth', 'invalid_date'));

  const cccdText = cell(row, 'cccd');
  const cccd = cccdText === '' ? undefined : parseCccd(cccdText, now);
  if (cccd && !cccd.ok) errors.push(cellError('cccd', 'invalid_cccd'));
  if (cccd?.ok && dob?.ok && !cccdAgreesWithBirthDate(cccd.value, dob.value)) errors.push(cellError('cccd', 'cccd_birth_year_mismatch'));

  const genderText = required('gender');
  const gender = genderText === undefined ? undefined : GENDERS[foldWord(genderText)];
  if (genderText !== undefined && gender === undefined) errors.push(cellError('gender', 'invalid_gender'));

  const phones: string[] = [];
  cell(row, 'phones')
    .split(/[;|]/)
    .map((p) => p.trim())
    .filter(Boolean)
    .forEach((text, index) => {
      const phone = normalizePhone(text);
      if (!phone.ok) errors.push(cellError('phones', 'invalid_phone', { index: index + 1 }));
      else if (!phones.includes(phone.value)) phones.push(phone.value);
    });

  const provinceText = required('province_code');
  if (provinceText !== undefined && !/^\d{2}$/.test(provinceText)) errors.push(cellError('province_code', 'invalid_province_code'));
  const district = digitsCode(cell(row, 'district_code'), 3);
  if (!district.ok) errors.push(cellError('district_code', 'invalid_district_code'));
  const commune = digitsCode(cell(row, 'commune_code'), 5);
  if (!commune.ok) errors.push(cellError('commune_code', 'invalid_commune_code'));

  const benefitText = required('benefit_type');
  const benefitType = benefitText === undefined ? undefined : lookup(benefitText, BENEFIT_TYPES, BENEFIT_ALIASES);
  if (benefitText !== undefined && benefitType === undefined) errors.push(cellError('benefit_type', 'invalid_benefit_type'));

  const amountText = required('monthly_amount');
  const amount = amountText === undefined ? undefined : parseVndAmount(amountText);
  if (amount && (!amount.ok || amount.value <= 0)) errors.push(cellError('monthly_amount', 'invalid_amount'));

  const methodText = required('payment_method');
  const kind = methodText === undefined ? undefined : lookup(methodText, PAYMENT_METHODS, METHOD_ALIASES);
  if (methodText !== undefined && kind === undefined) errors.push(cellError('payment_method', 'invalid_payment_method'));

  const binText = cell(row, 'bank_bin');
  if (binText !== '' && !bankByBin(binText)) errors.push(cellError('bank_bin', 'unknown_bank'));
  const accountText = cell(row, 'account_number');
  const account = accountText === '' ? undefined : parseBankAccount(accountText);
  if (account && !account.ok) errors.push(cellError('account_number', 'invalid_account_number'));
  if (kind === 'bank' && (binText === '' || accountText === '')) errors.push(cellError(binText === '' ? 'bank_bin' : 'account_number', 'missing_account'));
  const holder = cell(row, 'account_holder');

  if (errors.length > 0) return { ok: false, errors };
  // Every value below was checked above; the assertions only restate that.
  const withAccount = kind === 'bank' || kind === 'ewallet';
  return ok({
    bhxhCode: bhxh!.ok ? bhxh!.value : '',
    ...(cccd?.ok ? { cccd: cccd.value.value } : {}),
    fullName: fullName!,
    birthDate: dob!.ok ? isoDate(dob!.value) : '',
    gender: gender!,
    phones,
    provinceCode: provinceText!,
    ...(district.ok && district.value ? { districtCode: district.value } : {}),
    ...(commune.ok && commune.value ? { communeCode: commune.value } : {}),
    benefitType: benefitType!,
    monthlyAmount: amount!.ok ? amount!.value : 0,
    paymentMethod: {
      kind: kind!,
      ...(withAccount && binText ? { bankBin: binText } : {}),
      ...(withAccount && account?.ok ? { account: account.value } : {}),
      ...(withAccount && holder ? { holderName: foldName(holder) } : {}),
    },
  });
}

