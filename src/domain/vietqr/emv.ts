/**
 * VietQR payloads: EMVCo merchant-presented QR (tag-length-value, two-digit
 * ids and lengths) with the NAPAS layout in tag 38 — GUID A000000727, the
 * beneficiary bank's BIN and the account or card number, and a service code
 * (QRIBFTTA to an account, QRIBFTTC to a card). Tag 63 is a CRC-16/CCITT-FALSE
 * over everything before its value, "6304" included.
 *
 * Specification: NAPAS "VietQR" (Đặc tả kỹ thuật mã QR chuyển nhanh NAPAS247),
 * built on the EMVCo QR Code Specification for Payment Systems, Merchant-Presented Mode.
 */
import { fail, ok, type Result } from '../validators/result.js';

export const VIETQR_GUID = 'A000000727';
export const SERVICE_ACCOUNT = 'QRIBFTTA';
export const SERVICE_CARD = 'QRIBFTTC';

/** What a VietQR code names: where money to it goes. */
export interface VietQr {
  /** The beneficiary bank's NAPAS BIN (6 digits). */
  bin: string;
  /** Account or card number, digits only. */
  number: string;
  kind: 'account' | 'card';
  /** Dynamic (tag 01 = 12: one payment, usually with an amount) or static (11). */
  dynamic: boolean;
  amount?: string;
}

/** Why a QR text is not a usable VietQR: not EMVCo at all, a damaged copy, or EMVCo for something else. */
export type VietQrReason = 'not_emv' | 'crc' | 'not_vietqr';

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection), as 4 upper-case hex digits. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** Splits an EMVCo TLV string into its fields; undefined when it does not parse to the end. */
export function parseTlv(text: string): Map<string, string> | undefined {
  const fields = new Map<string, string>();
  let at = 0;
  while (at < text.length) {
    const head = /^(\d{2})(\d{2})/.exec(text.slice(at, at + 4));
    if (!head) return undefined;
    const length = Number(head[2]);
    const value = text.slice(at + 4, at + 4 + length);
    if (value.length !== length) return undefined;
    fields.set(head[1]!, value);
    at += 4 + length;
  }
  return fields;
}

/** Reads a VietQR payload as a QR code holds it; checks its CRC before anything else is believed. */
export function parseVietQr(text: string): Result<VietQr, VietQrReason> {
  const payload = text.trim();
  const root = parseTlv(payload);
  if (!root || root.get('00') !== '01') return fail('not_emv');
  const crc = root.get('63');
  if (!crc || !payload.endsWith(`6304${crc}`) || crc16(payload.slice(0, -4)).toUpperCase() !== crc.toUpperCase()) return fail('crc');
  const merchant = parseTlv(root.get('38') ?? '');
  if (!merchant || merchant.get('00')?.toUpperCase() !== VIETQR_GUID) return fail('not_vietqr');
  const beneficiary = parseTlv(merchant.get('01') ?? '');
  const bin = beneficiary?.get('00') ?? '';
  const number = beneficiary?.get('01') ?? '';
  if (!/^\d{6}$/.test(bin) || !/^\d{1,19}$/.test(number)) return fail('not_vietqr');
  const service = merchant.get('02')?.toUpperCase();
  if (service !== SERVICE_ACCOUNT && service !== SERVICE_CARD) return fail('not_vietqr');
  const amount = root.get('54');
  return ok({
    bin,
    number,
    kind: service === SERVICE_CARD ? 'card' : 'account',
    dynamic: root.get('01') === '12',
    ...(amount ? { amount } : {}),
  });
}

const field = (id: string, value: string): string => `${id}${String(value.length).padStart(2, '0')}${value}`;

/**
 * Builds a VietQR payload the way bank apps print them (used to test the
 * reader against the layout, and by anyone who needs a sample).
 */
export function encodeVietQr(qr: VietQr & { purpose?: string }): string {
  const beneficiary = field('00', qr.bin) + field('01', qr.number);
  const merchant = field('00', VIETQR_GUID) + field('01', beneficiary) + field('02', qr.kind === 'card' ? SERVICE_CARD : SERVICE_ACCOUNT);
  let body = field('00', '01') + field('01', qr.dynamic ? '12' : '11') + field('38', merchant) + field('53', '704');
  if (qr.amount) body += field('54', qr.amount);
  body += field('58', 'VN');
  if (qr.purpose) body += field('62', field('08', qr.purpose));
  body += '6304';
  return body + crc16(body);
}
