import type { ImportRowError } from '../../db/models/import-job.js';

/** Stable codes a refused row carries; clients branch on these, people read the messages. */
export type RowErrorCode =
  | 'missing_value'
  | 'invalid_bhxh_code'
  | 'invalid_cccd'
  | 'cccd_birth_year_mismatch'
  | 'invalid_name'
  | 'invalid_date'
  | 'invalid_gender'
  | 'invalid_phone'
  | 'invalid_province_code'
  | 'invalid_district_code'
  | 'invalid_commune_code'
  | 'invalid_benefit_type'
  | 'invalid_amount'
  | 'invalid_payment_method'
  | 'unknown_bank'
  | 'invalid_account_number'
  | 'missing_account'
  | 'duplicate_in_file'
  | 'out_of_scope'
  | 'invalid_period'
  | 'invalid_status'
  | 'unknown_beneficiary'
  | 'wrong_field_count';

type Params = Record<string, string | number>;
const p = (params: Params, name: string) => String(params[name] ?? '');

/**
 * Messages for staff, Vietnamese first. Each says what is wrong and what the
 * cell should hold, so the file can be fixed without reading documentation.
 */
const MESSAGES: Record<RowErrorCode, { vi: (x: Params) => string; en: (x: Params) => string }> = {
  missing_value: { vi: () => 'Thiếu giá trị bắt buộc.', en: () => 'A required value is missing.' },
  invalid_bhxh_code: { vi: () => 'Mã số BHXH phải gồm đúng 10 chữ số.', en: () => 'The BHXH code must be exactly 10 digits.' },
  invalid_cccd: { vi: () => 'Số CCCD phải gồm 12 chữ số hợp lệ.', en: () => 'The CCCD must be 12 valid digits.' },
  cccd_birth_year_mismatch: {
    vi: () => 'Năm sinh trong số CCCD (chữ số 5-6) không khớp với ngày sinh.',
    en: () => 'The birth year in the CCCD (digits 5-6) does not match date_of_birth.',
  },
  invalid_name: { vi: () => 'Họ tên trống hoặc quá dài (tối đa 100 ký tự).', en: () => 'The name is empty or longer than 100 characters.' },
  invalid_date: { vi: () => 'Ngày không hợp lệ; ghi dạng dd/mm/yyyy, ví dụ 05/03/1952.', en: () => 'Invalid date; write dd/mm/yyyy, e.g. 05/03/1952.' },
  invalid_gender: { vi: () => 'Giới tính phải là nam/nu (hoặc male/female).', en: () => 'Gender must be nam/nu (or male/female).' },
  invalid_phone: {
    vi: (x) => `Số điện thoại thứ ${p(x, 'index')} không phải số di động Việt Nam 10 chữ số.`,
    en: (x) => `Phone number ${p(x, 'index')} is not a 10-digit Vietnamese mobile number.`,
  },
  invalid_province_code: { vi: () => 'Mã tỉnh phải gồm 2 chữ số, ví dụ 08.', en: () => 'The province code must be 2 digits, e.g. 08.' },
  invalid_district_code: { vi: () => 'Mã huyện phải gồm 3 chữ số.', en: () => 'The district code must be 3 digits.' },
  invalid_commune_code: { vi: () => 'Mã xã phải gồm 5 chữ số.', en: () => 'The commune code must be 5 digits.' },
  invalid_benefit_type: {
    vi: () => 'Loại chế độ không hợp lệ; dùng pension, monthly_allowance, lump_sum, unemployment, social_assistance, merit (hoặc "hưu trí"…).',
    en: () => 'Unknown benefit type; use pension, monthly_allowance, lump_sum, unemployment, social_assistance or merit.',
  },
  invalid_amount: { vi: () => 'Số tiền phải là số đồng nguyên dương, ví dụ 4.350.000.', en: () => 'The amount must be a positive whole number of đồng, e.g. 4.350.000.' },
  invalid_payment_method: {
    vi: () => 'Hình thức nhận không hợp lệ; dùng bank, ewallet, cash_post hoặc cash_home.',
    en: () => 'Unknown payment method; use bank, ewallet, cash_post or cash_home.',
  },
  unknown_bank: { vi: () => 'Mã BIN ngân hàng không có trong danh sách NAPAS.', en: () => 'The bank BIN is not in the NAPAS list.' },
  invalid_account_number: { vi: () => 'Số tài khoản phải gồm 6-19 chữ số.', en: () => 'The account number must be 6-19 digits.' },
  missing_account: {
    vi: () => 'Nhận qua ngân hàng cần cả bank_bin và account_number.',
    en: () => 'Payment by bank needs both bank_bin and account_number.',
  },
  duplicate_in_file: {
    vi: (x) => `Mã số BHXH bị trùng trong tệp, đã có ở dòng ${p(x, 'firstRow')}.`,
    en: (x) => `Duplicate in file, first seen at row ${p(x, 'firstRow')}.`,
  },
  out_of_scope: {
    vi: (x) => `Dòng thuộc tỉnh khác; khóa này chỉ được nhập cho tỉnh ${p(x, 'province')}.`,
    en: (x) => `Row belongs to another province; this key may only import province ${p(x, 'province')}.`,
  },
  invalid_period: { vi: () => 'Kỳ chi trả phải ghi dạng YYYY-MM, ví dụ 2026-03.', en: () => 'The period must be YYYY-MM, e.g. 2026-03.' },
  invalid_status: {
    vi: () => 'Trạng thái phải là scheduled, paid, failed, returned hoặc awaiting_cash_pickup.',
    en: () => 'Status must be scheduled, paid, failed, returned or awaiting_cash_pickup.',
  },
  wrong_field_count: {
    vi: (x) => `Dòng có ${p(x, 'found')} cột nhưng tiêu đề có ${p(x, 'expected')}; kiểm tra dấu phẩy và dấu ngoặc kép.`,
    en: (x) => `The row has ${p(x, 'found')} fields but the header has ${p(x, 'expected')}; check commas and quotes.`,
  },
  unknown_beneficiary: {
    vi: () => 'Không có người hưởng nào với mã số BHXH này; hãy nhập danh sách người hưởng trước.',
    en: () => 'No beneficiary has this BHXH code; import the register first.',
  },
};

/** A refused cell before it knows its row number. */
export interface CellError {
  column: string;
  code: RowErrorCode;
  params?: Params;
}

export const cellError = (column: string, code: RowErrorCode, params?: Params): CellError => (params ? { column, code, params } : { column, code });

/** The stored, readable form of a refused row. */
export function rowError(row: number, error: CellError): ImportRowError {
  const text = MESSAGES[error.code];
  const params = error.params ?? {};
  return { row, column: error.column, code: error.code, messageVi: text.vi(params), messageEn: text.en(params) };
}

/** A checked row, or every refused cell of it. */
export type RowResult<T> = { ok: true; value: T } | { ok: false; errors: CellError[] };
