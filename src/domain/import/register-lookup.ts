import type { Types } from 'mongoose';
import type { BeneficiaryModel } from '../../db/models/beneficiary.js';

/** What a register import needs of an existing record to refuse, skip or update its row. */
export interface RegisterEntry {
  _id: Types.ObjectId;
  bhxhCode: string;
  provinceCode: string;
  importHash?: string;
  /** Only on entries read just before writing (see `reread`). */
  lastMethodChangeAt?: Date;
}

/** Existing register records by BHXH code, for one import. */
export interface RegisterLookup {
  /** The existing records among `codes`, keyed by code. */
  find(codes: readonly string[]): Promise<Map<string, RegisterEntry>>;
  /**
   * The same records as they are now, for the rows about to be written: a
   * scan can be minutes old by the last batch, and a payment-method change or
   * a province move made meanwhile must still be honoured.
   */
  reread(entries: readonly RegisterEntry[]): Promise<Map<string, RegisterEntry>>;
}

/**
 * The one pass gives up after this many records per distinct code of the file.
 * On MongoDB an indexed lookup costs a few record reads of a sequential pass,
 * so past this a query per batch reads less. On FerretDB (SQLite) every filter
 * other than `_id` reads and decodes the whole collection anyway: one pass
 * instead of one per 500-row batch is what keeps a 10 000-row re-import at
 * seconds rather than most of a minute.
 */
const SCAN_RECORDS_PER_CODE = 4;

/** Up to this many records are read again by `_id` one at a time, more with one `$in` query. */
const REREAD_ONE_BY_ONE = 10;

const ENTRY_FIELDS = { bhxhCode: 1, provinceCode: 1, importHash: 1 } as const;
const WRITE_FIELDS = { ...ENTRY_FIELDS, lastMethodChangeAt: 1 } as const;

/**
 * Chooses how an import of `fileCodes` (the distinct valid codes of the file,
 * in `batches` batches) looks records up. A one-batch file queries once. A
 * larger one reads the register in one pass through a cursor, keeping only the
 * file's codes, so memory follows the file, never the register; a register
 * much larger than the file stops the pass early, and batches query instead.
 * (No count first: on FerretDB `estimatedDocumentCount` reads the whole
 * collection too.) A kept record is about 300 bytes: 30 MB per 100 000 codes,
 * beside the file's own rows.
 */
export async function registerLookup(model: BeneficiaryModel, fileCodes: ReadonlySet<string>, batches: number): Promise<RegisterLookup> {
  if (batches <= 1 || fileCodes.size === 0) return perBatchLookup(model);
  return (await scanLookup(model, fileCodes, SCAN_RECORDS_PER_CODE * fileCodes.size)) ?? perBatchLookup(model);
}

function perBatchLookup(model: BeneficiaryModel): RegisterLookup {
  return {
    async find(codes) {
      const found = await model.find({ bhxhCode: { $in: codes } }, WRITE_FIELDS).lean<RegisterEntry[]>().exec();
      return new Map(found.map((e) => [e.bhxhCode, e]));
    },
    // Read a moment ago, with every field a write needs.
    reread: (entries) => Promise.resolve(new Map(entries.map((e) => [e.bhxhCode, e]))),
  };
}

/** One pass over the register, or null once it has read more than `budget` records. */
async function scanLookup(model: BeneficiaryModel, fileCodes: ReadonlySet<string>, budget: number): Promise<RegisterLookup | null> {
  const known = new Map<string, RegisterEntry>();
  const cursor = model.find({}, ENTRY_FIELDS).lean<RegisterEntry>().cursor({ batchSize: Math.min(2_000, budget + 1) });
  let read = 0;
  try {
    for (let entry = await cursor.next(); entry; entry = await cursor.next()) {
      if (++read > budget) return null;
      if (fileCodes.has(entry.bhxhCode)) known.set(entry.bhxhCode, entry);
    }
  } finally {
    await cursor.close();
  }
  return {
    find(codes) {
      const found = new Map<string, RegisterEntry>();
      for (const code of codes) {
        const entry = known.get(code);
        if (entry) found.set(code, entry);
      }
      return Promise.resolve(found);
    },
    async reread(entries) {
      // A few changed rows (the usual re-import) go one `_id` each: FerretDB finds a single `_id`
      // without decoding the collection, while `$in` (or any other filter) decodes all of it.
      const found =
        entries.length <= REREAD_ONE_BY_ONE
          ? (await Promise.all(entries.map(({ _id }) => model.findOne({ _id }, WRITE_FIELDS).lean<RegisterEntry>().exec()))).filter((e) => e !== null)
          : await model.find({ _id: { $in: entries.map((e) => e._id) } }, WRITE_FIELDS).lean<RegisterEntry[]>().exec();
      return new Map(found.map((e) => [e.bhxhCode, e]));
    },
  };
}
