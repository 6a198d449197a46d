import { bankByBin, type Bank } from '../banks/bank-directory.js';
import { parseVietQr } from './emv.js';
import { readQrText } from './read-image.js';

/** Loads a photo a chat sent, by the platform's reference (see EvidencePhotos). */
export interface PhotoLoader {
  load(ref: string): Promise<{ bytes: Buffer }>;
}

/** What a photo of a VietQR code told us, for the conversation to answer in plain words. */
export type QrPhotoReading =
  | { kind: 'account'; bank: Bank; account: string }
  | { kind: 'card' }
  | { kind: 'unreadable' }
  | { kind: 'not_vietqr' }
  | { kind: 'damaged' }
  | { kind: 'unknown_bank' };

/**
 * Reads the bank account from a photo of a VietQR code (bank app, card sleeve,
 * passbook): the image is decoded here, nothing goes over the network but the
 * platform's own download of the photo.
 */
export async function readAccountFromPhoto(photos: PhotoLoader | undefined, ref: string): Promise<QrPhotoReading> {
  if (!photos) return { kind: 'unreadable' };
  let bytes: Buffer;
  try {
    ({ bytes } = await photos.load(ref));
  } catch {
    // The platform did not hand the photo over (expired, too large, not an image): ask for another.
    return { kind: 'unreadable' };
  }
  const text = readQrText(bytes);
  if (text === null) return { kind: 'unreadable' };
  const parsed = parseVietQr(text);
  if (!parsed.ok) return { kind: parsed.reason === 'crc' ? 'damaged' : 'not_vietqr' };
  if (parsed.value.kind === 'card') return { kind: 'card' };
  const bank = bankByBin(parsed.value.bin);
  if (!bank) return { kind: 'unknown_bank' };
  return { kind: 'account', bank, account: parsed.value.number };
}
