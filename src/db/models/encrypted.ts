import { Schema } from 'mongoose';
import type { EncryptedValue } from '../../security/pii-crypto.js';

/** Sub-document for a PII value encrypted with AES-256-GCM (see PiiCipher). */
export const encryptedSchema = new Schema<EncryptedValue>(
  {
    v: { type: Number, required: true },
    iv: { type: String, required: true },
    ct: { type: String, required: true },
    tag: { type: String, required: true },
  },
  { _id: false },
);
