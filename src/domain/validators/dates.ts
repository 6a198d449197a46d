import { fail, ok, type Result } from './result.js';

/** A date without time or zone, as written on identity papers. Months are 1-12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/**
 * Why a typed date was refused. 'year' means the year was not written with
 * four digits: "5/3/52" could be 1952 or 2052 to a machine, and a wrong
 * guess links the wrong beneficiary. 'too-old' means more than 120 years ago.
 */
export type DateReason = 'empty' | 'format' | 'year' | 'impossible' | 'future' | 'too-old';

const MAX_AGE_YEARS = 120;

/** Vietnam has kept UTC+7 without daylight saving since 1975. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/** Day, month and year separated by / . - or spaces, in that order. */
const DAY_FIRST = /^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d+)$/;
/** "05031952": eight digits typed without separators, still day first. */
const COMPACT = /^(\d{2})(\d{2})(\d{4})$/;

/**
 * Parses a date written day first, the Vietnamese way: "05/03/1952",
 * "5-3-1952", "5.3.1952", "05 03 1952", "05031952", or in words
 * "ngày 5 tháng 3 năm 1952". The year must have four digits.
 *
 * Refuses impossible dates (31/02), dates after today in Vietnam, and dates
 * more than 120 years ago. `now` is injectable for tests.
 */
export function parseDate(input: string, now: Date = new Date()): Result<CalendarDate, DateReason> {
  const text = withoutDateWords(input);
  if (text === '') return fail('empty');

  const match = DAY_FIRST.exec(text) ?? COMPACT.exec(text);
  if (!match) return fail('format');
  const [, dayText = '', monthText = '', yearText = ''] = match;
  if (yearText.length !== 4) return fail('year');

  const date = { year: Number(yearText), month: Number(monthText), day: Number(dayText) };
  if (!isRealDate(date)) return fail('impossible');

  const today = vietnamToday(now);
  if (compareDates(date, today) > 0) return fail('future');
  if (ageOn(date, today) > MAX_AGE_YEARS) return fail('too-old');
  return ok(date);
}

/** Formats a date as `dd/mm/yyyy`, the form Vietnamese readers expect. */
export function formatDate(date: CalendarDate): string {
  return `${pad2(date.day)}/${pad2(date.month)}/${String(date.year).padStart(4, '0')}`;
}

/** Formats a date as `YYYY-MM-DD` (the year as is), the sortable form stored in documents. */
export function isoDate(date: CalendarDate): string {
  return `${date.year}-${pad2(date.month)}-${pad2(date.day)}`;
}

/** The `YYYY-MM` key (the year as is) of a year and month, as periods are stored. */
export function periodKey(period: { year: number; month: number }): string {
  return `${period.year}-${pad2(period.month)}`;
}

/** Today's date in Vietnam, whatever the server's time zone. */
export function vietnamToday(now: Date = new Date()): CalendarDate {
  const local = new Date(now.getTime() + VIETNAM_OFFSET_MS);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/** Whole years from `birth` to `on`: the age a person has on that day. */
export function ageOn(birth: CalendarDate, on: CalendarDate): number {
  const hadBirthday = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  return on.year - birth.year - (hadBirthday ? 0 : 1);
}

/** A monthly payment period. `key` is the canonical `YYYY-MM` used in storage. */
export interface Period {
  year: number;
  month: number;
  key: string;
}

/** Why a typed payment period was refused. */
export type PeriodReason = 'empty' | 'format' | 'impossible';

const ISO_PERIOD = /^(\d{4})-(\d{2})$/;
const MONTH_FIRST_PERIOD = /^(\d{1,2})\s*[/.\-\s]\s*(\d{4})$/;

/**
 * Parses a payment period: the canonical "2026-11", or month first as people
 * write it ("11/2026", "tháng 11/2026", "11-2026").
 */
export function parsePeriod(input: string): Result<Period, PeriodReason> {
  const text = withoutDateWords(input);
  if (text === '') return fail('empty');

  const iso = ISO_PERIOD.exec(text);
  const monthFirst = iso ? null : MONTH_FIRST_PERIOD.exec(text);
  const yearText = iso?.[1] ?? monthFirst?.[2];
  const monthText = iso?.[2] ?? monthFirst?.[1];
  if (yearText === undefined || monthText === undefined) return fail('format');

  const year = Number(yearText);
  const month = Number(monthText);
  if (month < 1 || month > 12) return fail('impossible');
  return ok({ year, month, key: `${yearText}-${pad2(month)}` });
}

/** Formats a period month first, `mm/yyyy`, for display. */
export function formatPeriod(period: { year: number; month: number }): string {
  return `${pad2(period.month)}/${period.year}`;
}

/** A stored period, `2026-03`, the way people read it: `03/2026`. */
export function displayPeriod(period: string): string {
  const [year, month] = period.split('-');
  return formatPeriod({ year: Number(year), month: Number(month) });
}

/**
 * Trims, turns full-width digits into ASCII, and blanks the words of a date
 * written out ("ngày 5 tháng 3 năm 1952"), with or without diacritics.
 */
function withoutDateWords(input: string): string {
  return input
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\b(ngay|thang|nam)\b/g, ' ')
    .trim();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isRealDate({ year, month, day }: CalendarDate): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= days;
}

function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
