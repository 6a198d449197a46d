import { vietnamToday } from './dates.js';
import { digitsOnly, fail, ok, type DigitsReason, type Result } from './result.js';

/**
 * Province codes of birth registration, digits 1-3 of a CCCD, as listed in
 * Circular 07/2016/TT-BCA. The 2025 merger of provinces did not renumber
 * cards already issued, so the 63 historical codes are the ones to accept.
 */
const PROVINCES: ReadonlyMap<string, string> = new Map([
  ['001', 'Hà Nội'],
  ['002', 'Hà Giang'],
  ['004', 'Cao Bằng'],
  ['006', 'Bắc Kạn'],
  ['008', 'Tuyên Quang'],
  ['010', 'Lào Cai'],
  ['011', 'Điện Biên'],
  ['012', 'Lai Châu'],
  ['014', 'Sơn La'],
  ['015', 'Yên Bái'],
  ['017', 'Hòa Bình'],
  ['019', 'Thái Nguyên'],
  ['020', 'Lạng Sơn'],
  ['022', 'Quảng Ninh'],
  ['024', 'Bắc Giang'],
  ['025', 'Phú Thọ'],
  ['026', 'Vĩnh Phúc'],
  ['027', 'Bắc Ninh'],
  ['030', 'Hải Dương'],
  ['031', 'Hải Phòng'],
  ['033', 'Hưng Yên'],
  ['034', 'Thái Bình'],
  ['035', 'Hà Nam'],
  ['036', 'Nam Định'],
  ['037', 'Ninh Bình'],
  ['038', 'Thanh Hóa'],
  ['040', 'Nghệ An'],
  ['042', 'Hà Tĩnh'],
  ['044', 'Quảng Bình'],
  ['045', 'Quảng Trị'],
  ['046', 'Thừa Thiên Huế'],
  ['048', 'Đà Nẵng'],
  ['049', 'Quảng Nam'],
  ['051', 'Quảng Ngãi'],
  ['052', 'Bình Định'],
  ['054', 'Phú Yên'],
  ['056', 'Khánh Hòa'],
  ['058', 'Ninh Thuận'],
  ['060', 'Bình Thuận'],
  ['062', 'Kon Tum'],
  ['064', 'Gia Lai'],
  ['066', 'Đắk Lắk'],
  ['067', 'Đắk Nông'],
  ['068', 'Lâm Đồng'],
  ['070', 'Bình Phước'],
  ['072', 'Tây Ninh'],
  ['074', 'Bình Dương'],
  ['075', 'Đồng Nai'],
  ['077', 'Bà Rịa - Vũng Tàu'],
  ['079', 'Hồ Chí Minh'],
  ['080', 'Long An'],
  ['082', 'Tiền Giang'],
  ['083', 'Bến Tre'],
  ['084', 'Trà Vinh'],
  ['086', 'Vĩnh Long'],
  ['087', 'Đồng Tháp'],
  ['089', 'An Giang'],
  ['091', 'Kiên Giang'],
  ['092', 'Cần Thơ'],
  ['093', 'Hậu Giang'],
  ['094', 'Sóc Trăng'],
  ['095', 'Bạc Liêu'],
  ['096', 'Cà Mau'],
]);

/** What the digits of a valid CCCD tell us. */
export interface Cccd {
  /** The 12 digits, separators removed. */
  value: string;
  provinceCode: string;
  gender: 'male' | 'female';
  birthYear: number;
}

/**
 * Why a typed CCCD was refused. 'old-id' means 9 digits: the holder typed
 * the number of the old CMND card, which has no such structure.
 */
export type CccdReason = DigitsReason | 'length' | 'old-id' | 'province' | 'century' | 'future';

/**
 * Parses a CCCD number (citizen identity card, 12 digits) as typed, e.g.
 * "001 052 012345" or "001.052.012345".
 *
 * Digit 4 encodes century and gender: 0/1 = 1900s male/female, 2/3 = 2000s,
 * 4/5 = 2100s and so on; digits 5-6 are the last two digits of the birth
 * year. A number whose birth year lies after `now` cannot have been issued:
 * 'century' when the century digit points past the current century,
 * 'future' when only the year does.
 */
export function parseCccd(input: string, now: Date = new Date()): Result<Cccd, CccdReason> {
  const digits = digitsOnly(input);
  if (!digits.ok) return digits;
  const value = digits.value;
  if (value.length === 9) return fail('old-id');
  if (value.length !== 12) return fail('length');

  const provinceCode = value.slice(0, 3);
  if (!PROVINCES.has(provinceCode)) return fail('province');

  const centuryDigit = Number(value[3]);
  const century = 1900 + Math.floor(centuryDigit / 2) * 100;
  const currentYear = vietnamToday(now).year;
  if (century > currentYear) return fail('century');
  const birthYear = century + Number(value.slice(4, 6));
  if (birthYear > currentYear) return fail('future');

  return ok({ value, provinceCode, gender: centuryDigit % 2 === 0 ? 'male' : 'female', birthYear });
}

/**
 * True when the birth year encoded in the CCCD equals the year of the date
 * of birth. A mismatch usually means a typo in one of the two; the flow asks
 * again rather than linking the wrong person. An unparseable CCCD never agrees.
 */
export function cccdAgreesWithBirthDate(cccd: string | Cccd, birthDate: { year: number }): boolean {
  const parsed = typeof cccd === 'string' ? parseCccd(cccd) : ok(cccd);
  return parsed.ok && parsed.value.birthYear === birthDate.year;
}

/** Name of the province of birth registration for a CCCD prefix, e.g. '001' → 'Hà Nội'. */
export function cccdProvinceName(provinceCode: string): string | undefined {
  return PROVINCES.get(provinceCode);
}

/** Every province by the 2-digit code the register uses ('01' → 'Hà Nội'), for staff screens. */
export function provinceNames(): Record<string, string> {
  return Object.fromEntries([...PROVINCES].map(([code, name]) => [code.slice(1), name]));
}
