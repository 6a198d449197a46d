import { fail, ok, type Result } from './result.js';

/**
 * Formats whole đồng the Vietnamese way: dots between thousands, then " đ".
 * 4350000 → "4.350.000 đ". Throws on fractions: amounts are integers end to
 * end, and a fraction here means a bug upstream, not something to round away.
 */
export function formatVnd(amount: number): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`formatVnd expects whole đồng, got ${amount}`);
  const grouped = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${amount < 0 ? '-' : ''}${grouped} đ`;
}

/**
 * Why a typed amount was refused.
 * - 'unit': a decimal with no unit ("4.35"): millions or thousands?
 * - 'ambiguous': "1.500 triệu" (1.5 or 1500 million?) or "4 triệu 350".
 * - 'fraction': works out to part of a đồng.
 * - 'range': beyond what can be counted exactly.
 */
export type MoneyReason = 'empty' | 'format' | 'unit' | 'ambiguous' | 'fraction' | 'range';

/** Powers of ten for the units people write, diacritics already folded. */
const UNIT_EXPONENT: Readonly<Record<string, number>> = {
  ty: 9,
  trieu: 6,
  tr: 6,
  nghin: 3,
  ngan: 3,
  k: 3,
};

/** One "number unit" group; digits glued after the unit are slang decimals ("1tr2" = 1.2 triệu). */
const PART = /\s*(\d[\d.,]*)\s*(ty|trieu|tr|nghin|ngan|k)(\d+)?(?![a-z])/y;
const PLAIN = /^\d+$/;
/** 1-3 digits, then groups of three, the same separator throughout. */
const GROUPED = /^\d{1,3}([., ])\d{3}(?:\1\d{3})*$/;
const DECIMAL = /^(\d+)[.,](\d+)$/;
const CURRENCY_SUFFIX = /\s*(?:vnd|dong|d)\.?$/;

/**
 * Parses an amount of money as typed and returns whole đồng:
 * "4.350.000", "4,350,000", "4 350 000", "4350000 đ", "4.35 triệu",
 * "4,35 trieu", "4tr35", "500 nghìn", "500k", "4 triệu 350 nghìn".
 */
export function parseVndAmount(text: string): Result<number, MoneyReason> {
  const folded = foldAmount(text);
  if (folded === '') return fail('empty');
  const body = folded.replace(CURRENCY_SUFFIX, '');

  if (!/[a-z]/.test(body)) return parsePlain(body);
  return parseWithUnits(body);
}

function parsePlain(body: string): Result<number, MoneyReason> {
  if (PLAIN.test(body)) return toSafeNumber(BigInt(body));
  if (GROUPED.test(body)) return toSafeNumber(BigInt(body.replace(/[., ]/g, '')));
  if (DECIMAL.test(body)) return fail('unit');
  return fail('format');
}

function parseWithUnits(body: string): Result<number, MoneyReason> {
  let total = 0n;
  let lastExponent = Infinity;
  let position = 0;
  for (;;) {
    PART.lastIndex = position;
    const match = PART.exec(body);
    if (!match) break;
    position = PART.lastIndex;
    const [, numberText = '', unit = '', glued] = match;
    const exponent = UNIT_EXPONENT[unit];
    // Units must descend: "4 triệu 350 nghìn", never "350 nghìn 4 triệu".
    if (exponent === undefined || exponent >= lastExponent) return fail('format');
    lastExponent = exponent;

    const decimal = glued === undefined ? readDecimal(numberText) : readGlued(numberText, glued);
    if (!decimal.ok) return decimal;
    const part = scale(decimal.value, exponent);
    if (!part.ok) return part;
    total += part.value;

    if (glued !== undefined) break; // "1tr2" ends the amount
  }
  const rest = body.slice(position);
  if (lastExponent === Infinity) return fail('format');
  if (rest.trim() === '') return toSafeNumber(total);
  return /^\s*\d/.test(rest) ? fail('ambiguous') : fail('format');
}

interface Decimal {
  digits: bigint;
  fractionDigits: number;
}

/** Reads the number before a unit: "4", "4.35", "4,35", "1.500.000". */
function readDecimal(text: string): Result<Decimal, MoneyReason> {
  if (PLAIN.test(text)) return ok({ digits: BigInt(text), fractionDigits: 0 });
  const decimal = DECIMAL.exec(text);
  if (decimal) {
    const [, whole = '', fraction = ''] = decimal;
    // Three digits after one separator reads both ways: 1.500 triệu = 1.5 or 1500?
    if (fraction.length === 3) return fail('ambiguous');
    return ok({ digits: BigInt(whole + fraction), fractionDigits: fraction.length });
  }
  if (GROUPED.test(text)) return ok({ digits: BigInt(text.replace(/[.,]/g, '')), fractionDigits: 0 });
  return fail('format');
}

/** Reads slang like "4tr35": the digits after the unit are its decimals. */
function readGlued(whole: string, fraction: string): Result<Decimal, MoneyReason> {
  if (!PLAIN.test(whole)) return fail('format');
  return ok({ digits: BigInt(whole + fraction), fractionDigits: fraction.length });
}

/** digits × 10^(exponent − fractionDigits), refusing parts of a đồng. */
function scale({ digits, fractionDigits }: Decimal, exponent: number): Result<bigint, MoneyReason> {
  const shift = exponent - fractionDigits;
  if (shift >= 0) return ok(digits * 10n ** BigInt(shift));
  const divisor = 10n ** BigInt(-shift);
  return digits % divisor === 0n ? ok(digits / divisor) : fail('fraction');
}

function toSafeNumber(amount: bigint): Result<number, MoneyReason> {
  return amount <= BigInt(Number.MAX_SAFE_INTEGER) ? ok(Number(amount)) : fail('range');
}

/** Lower case, no diacritics (đ → d), full-width digits made ASCII, trimmed. */
function foldAmount(text: string): string {
  return text
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .trim();
}
