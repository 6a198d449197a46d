import { PAYMENT_METHODS, type PaymentMethodKind } from '../../db/models/beneficiary.js';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../db/models/payment.js';
import { parseBhxhCode } from '../validators/bhxh-code.js';
import { isoDate, parseDate } from '../validators/dates.js';
import { parseVndAmount } from '../validators/money.js';
import { ok } from '../validators/result.js';
import { cell, foldWord, type RawRow } from './beneficiary-row.js';
import { cellError, type CellError, type RowResult } from './row-errors.js';

/** Columns of the monthly payment ledger file (docs/imports.md). */
export const LEDGER_COLUMNS = ['bhxh_code', 'period', 'amount', 'method', 'status', 'date', 'destination'] as const;
export const LEDGER_REQUIRED_COLUMNS = ['bhxh_code', 'period', 'amount', 'method', 'status'] as const;

/** A ledger row checked and canonical; `destinationMasked` never holds a full account number. */
export interface LedgerInput {
  bhxhCode: string;
  period: string;
  amount: number;
  method: PaymentMethodKind;
  status: PaymentStatus;
  date?: string;
  destinationMasked?: string;
}

const METHOD_ALIASES: Readonly<Record<string, PaymentMethodKind>> = {
  'ngan hang': 'bank',
  'vi dien tu': 'ewallet',
  'buu dien': 'cash_post',
  'tai nha': 'cash_home',
};

const STATUS_ALIASES: Readonly<Record<string, PaymentStatus>> = {
  'da chi': 'paid',
  'da tra': 'paid',
  'cho chi': 'scheduled',
  'loi': 'failed',
  'that bai': 'failed',
  'bi tra lai': 'returned',
  'hoan tra': 'returned',
  'cho nhan tien mat': 'awaiting_cash_pickup',
};

/** Scheduled payments are dated ahead; a year is more than any ledger plans. */
const SCHEDULE_HORIZON_MS = 400 * 24 * 60 * 60 * 1000;

/**
 * Keeps the last four digits of a destination and stars the rest, whatever
 * the file held: "Vietcombank 1500205123456" → "Vietcombank *********3456".
 * A value already masked stays as it is.
 */
export function maskDestination(destination: string): string {
  const digits = destination.replace(/\D/g, '').length;
  let toHide = Math.max(0, digits - 4);
  return destination.replace(/\d/g, (d) => {
    if (toHide === 0) return d;
    toHide--;
    return '*';
  });
}

function pick<T extends string>(raw: string, canonical: readonly T[], aliases: Readonly<Record<string, T>>): T | undefined {
  const plain = raw.trim().toLowerCase();
  if ((canonical as readonly string[]).includes(plain)) return plain as T;
  return aliases[foldWord(raw)];
}

/** Checks one ledger row; every refused cell is listed. */
export function parseLedgerRow(row: RawRow, now: Date): RowResult<LedgerInput> {
  const errors: CellError[] = [];
  const required = (column: string): string | undefined => {
    const value = cell(row, column);
    if (value === '') errors.push(cellError(column, 'missing_value'));
    return value === '' ? undefined : value;
  };
  const codeText = required('bhxh_code');
  const code = codeText === undefined ? undefined : parseBhxhCode(codeText);
  if (code && !code.ok) errors.push(cellError('bhxh_code', 'invalid_bhxh_code'));

  const periodText = required('period');
  const periodMatch = periodText === undefined ? null : /^(\d{4})-(\d{2})$/.exec(periodText);
  const month = Number(periodMatch?.[2]);
  if (periodText !== undefined && (!periodMatch || month < 1 || month > 12)) errors.push(cellError('period', 'invalid_period'));

  const amountText = required('amount');
  const amount = amountText === undefined ? undefined : parseVndAmount(amountText);
  if (amount && (!amount.ok || amount.value <= 0)) errors.push(cellError('amount', 'invalid_amount'));

  const methodText = required('method');
  const method = methodText === undefined ? undefined : pick(methodText, PAYMENT_METHODS, METHOD_ALIASES);
  if (methodText !== undefined && !method) errors.push(cellError('method', 'invalid_payment_method'));

  const statusText = required('status');
  const status = statusText === undefined ? undefined : pick(statusText, PAYMENT_STATUSES, STATUS_ALIASES);
  if (statusText !== undefined && !status) errors.push(cellError('status', 'invalid_status'));

  const dateText = cell(row, 'date');
  const date = dateText === '' ? undefined : parseDate(dateText, new Date(now.getTime() + SCHEDULE_HORIZON_MS));
  if (date && !date.ok) errors.push(cellError('date', 'invalid_date'));

  const destination = cell(row, 'destination');
  if (errors.length > 0) return { ok: false, errors };
  return ok({
    bhxhCode: code!.ok ? code!.value : '',
    period: periodText!,
    amount: amount!.ok ? amount!.value : 0,
    method: method!,
    status: status!,
    ...(date?.ok ? { date: isoDate(date.value) } : {}),
    ...(destination ? { destinationMasked: maskDestination(destination).slice(0, 80) } : {}),
  });
}
