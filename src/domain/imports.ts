import { Types, type AnyBulkWriteOperation } from 'mongoose';
import type { BeneficiaryDoc, BeneficiaryModel } from '../db/models/beneficiary.js';
import type { Claims } from '../db/claims.js';
import type { Logger } from '../logger.js';
import type { PiiCipher } from '../security/pii-crypto.js';
import type { ImportCounts, ImportJobDoc, ImportJobErrorModel, ImportJobModel, ImportKind, ImportRowError } from '../db/models/import-job.js';
import type { PaymentDoc } from '../db/models/payment.js';
import type { BeneficiaryInput, BeneficiaryRegistry } from './beneficiaries.js';
import type { DomainModels } from './deps.js';
import { BENEFICIARY_COLUMNS, BENEFICIARY_REQUIRED_COLUMNS, cell, parseBeneficiaryRow } from './import/beneficiary-row.js';
import { csvLine } from './import/csv.js';
import { readSource, type ImportSource, type NumberedRow } from './import/import-source.js';
import { LEDGER_COLUMNS, LEDGER_REQUIRED_COLUMNS, parseLedgerRow, type LedgerInput } from './import/ledger-row.js';
import { registerLookup, type RegisterEntry, type RegisterLookup } from './import/register-lookup.js';
import { cellError, rowError, type CellError } from './import/row-errors.js';
import { parseBhxhCode } from './validators/bhxh-code.js';

export { ImportRejectedError, type ImportSource } from './import/import-source.js';


/** A running import's lease, renewed before a batch at most every `LEASE_RENEW_MS`: a batch slower than about 9 minutes marks it stalled. */
const IMPORT_LEASE_MS = 10 * 60_000;
/** Renewed before a batch once this much has passed: three writes per batch bought nothing. */
const LEASE_RENEW_MS = 60_000;
const importLease = (jobId: Types.ObjectId): string => `import-job:${String(jobId)}`;
/** Rows written per bulkWrite: large enough to be fast, small enough to report progress often. */
const BATCH_SIZE = 500;
/** Errors kept on the job document for a progress poll; all of them go to import_job_errors. */
const FIRST_ERRORS = 50;

/** Who starts an import and which province they may write. */
export interface ImportActor {
  startedBy: string;
  /** null: every province. */
  province: string | null;
}

/** An import job as staff see it. */
export interface ImportJobView extends ImportCounts {
  id: string;
  kind: ImportKind;
  status: ImportJobDoc['status'];
  province: string | null;
  startedBy: string;
  errors: ImportRowError[];
  failure: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** A started job and the promise of its end (the API ignores it; the seed script and benchmark wait on it). */
export interface StartedImport {
  job: ImportJobView;
  done: Promise<ImportJobView>;
}

interface BatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  errors: ImportRowError[];
  failedRows: number;
}

export interface ImportServiceDeps {
  models: Pick<DomainModels, 'beneficiaries' | 'payments'>;
  jobs: ImportJobModel;
  jobErrors: ImportJobErrorModel;
  /** The stored (encrypted, indexed) form of a register row. */
  beneficiaries: Pick<BeneficiaryRegistry, 'toStored'>;
  /** A running job's lease, which the stalled-job sweep respects. */
  claims: Pick<Claims, 'lease' | 'isLeased'>;
  /** Keyed row hashes. */
  cipher: Pick<PiiCipher, 'blindIndex'>;
  logger: Logger;
  now: () => Date;
}

/** Imports of the beneficiary register and the monthly payment ledger, with progress and row errors. */
export class ImportService {
  private readonly jobs: ImportJobModel;
  private readonly jobErrors: ImportJobErrorModel;

  constructor(private readonly deps: ImportServiceDeps) {
    this.jobs = deps.jobs;
    this.jobErrors = deps.jobErrors;
  }
  /**
   * Marks jobs whose progress stopped (their process died mid-import) as failed,
   * so staff see the truth and re-run the file; re-imports are idempotent.
   */
  async failStalled(now: Date, stalledMs = 30 * 60_000): Promise<number> {
    const quiet = await this.jobs.find({ status: { $in: ['queued', 'running'] }, updatedAt: { $lt: new Date(now.getTime() - stalledMs) } }, { _id: 1 }).lean().exec();
    let failed = 0;
    for (const { _id } of quiet) {
      // A job whose runner still holds its lease is slow, not stalled.
      if (await this.deps.claims.isLeased(importLease(_id))) continue;
      await this.jobs
        .updateOne({ _id }, { $set: { status: 'failed', finishedAt: now, failure: 'interrupted: the import stopped (the app restarted); rows written so far are kept, re-import the file' } })
        .exec();
      failed++;
    }
    return failed;
  }


  /**
   * Checks the file (encoding, header) now, throwing `ImportRejectedError`,
   * then upserts by BHXH code in the background. Rows whose canonical form
   * hashes as last time are counted `unchanged` and not written.
   */
  async startBeneficiaryImport(source: ImportSource, actor: ImportActor): Promise<StartedImport> {
    const rows = readSource(source, BENEFICIARY_COLUMNS, BENEFICIARY_REQUIRED_COLUMNS);
    const seen = new Map<string, number>();
    // Chosen by the first batch, inside the job: it may read the whole register.
    let lookup: Promise<RegisterLookup> | undefined;
    const register = (): Promise<RegisterLookup> =>
      (lookup ??= registerLookup(this.deps.models.beneficiaries, fileCodes(rows), Math.ceil(rows.length / BATCH_SIZE)));
    return this.start('beneficiaries', rows, actor, async (batch) => this.beneficiaryBatch(batch, actor, seen, await register()));
  }

  /** The monthly ledger: one row per beneficiary and period, upserted on that pair. */
  async startLedgerImport(source: ImportSource, actor: ImportActor): Promise<StartedImport> {
    const rows = readSource(source, LEDGER_COLUMNS, LEDGER_REQUIRED_COLUMNS);
    const seen = new Map<string, number>();
    return this.start('ledger', rows, actor, (batch) => this.ledgerBatch(batch, actor, seen));
  }

  /** A job, or null when it does not exist or belongs to another province than `province`. */
  async job(id: string, province: string | null): Promise<ImportJobView | null> {
    const doc = await this.findJob(id, province);
    return doc ? view(doc) : null;
  }

  /**
   * The newest jobs a caller may see (as `job`: a scoped key only its province's),
   * for the console's list. Row errors are left out: open a job for them.
   */
  async recent(province: string | null, options: { limit: number; kind?: ImportKind }): Promise<Omit<ImportJobView, 'errors'>[]> {
    const filter = { ...(province === null ? {} : { province }), ...(options.kind ? { kind: options.kind } : {}) };
    const docs = await this.jobs.find(filter, { firstErrors: 0 }).sort({ createdAt: -1, _id: -1 }).limit(options.limit).lean().exec();
    return docs.map((doc) => {
      const { errors: _omitted, ...rest } = view({ ...doc, firstErrors: [] });
      return rest;
    });
  }

  /** Every row error of a job as CSV (row, column, code, message_vi, message_en), or null as `job` does. */
  async errorsCsv(id: string, province: string | null): Promise<string | null> {
    const doc = await this.findJob(id, province);
    if (!doc) return null;
    const errors = await this.jobErrors.find({ jobId: doc._id }).sort({ row: 1, _id: 1 }).lean().exec();
    return (
      '\uFEFF' +
      csvLine(['row', 'column', 'code', 'message_vi', 'message_en']) +
      errors.map((e) => csvLine([e.row, e.column, e.code, e.messageVi, e.messageEn])).join('')
    );
  }

  private async findJob(id: string, province: string | null): Promise<ImportJobDoc | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const filter = province === null ? { _id: new Types.ObjectId(id) } : { _id: new Types.ObjectId(id), province };
    return this.jobs.findOne(filter).lean().exec();
  }

  private async start(kind: ImportKind, rows: NumberedRow[], actor: ImportActor, batch: (rows: NumberedRow[]) => Promise<BatchOutcome>): Promise<StartedImport> {
    const created = await this.jobs.create({
      kind,
      status: 'queued',
      province: actor.province,
      startedBy: actor.startedBy,
      total: rows.length,
      firstErrors: [],
    });
    const done = this.run(created._id, rows, batch);
    return { job: view(created.toObject()), done };
  }

  /** Runs a job to its end; never rejects: a database failure marks the job failed. */
  private async run(jobId: Types.ObjectId, rows: NumberedRow[], batch: (rows: NumberedRow[]) => Promise<BatchOutcome>): Promise<ImportJobView> {
    const { logger, now, claims } = this.deps;
    let kept = 0;
    // Held while this process runs the job, so the stalled-job sweep of any instance leaves it alone.
    const lease = await claims.lease(importLease(jobId), `import:${String(jobId)}`, IMPORT_LEASE_MS).catch(() => null);
    let renewedAt = now().getTime();
    try {
      await this.jobs.updateOne({ _id: jobId }, { $set: { status: 'running', startedAt: now() } }).exec();
      for (let start = 0; start < rows.length; start += BATCH_SIZE) {
        if (lease && now().getTime() - renewedAt >= LEASE_RENEW_MS) {
          await lease.renew();
          renewedAt = now().getTime();
        }
        const slice = rows.slice(start, start + BATCH_SIZE);
        const outcome = await batch(slice);
        if (outcome.errors.length > 0) await this.jobErrors.insertMany(outcome.errors.map((e) => ({ ...e, jobId })), { ordered: false });
        const keep = outcome.errors.slice(0, Math.max(0, FIRST_ERRORS - kept));
        kept += keep.length;
        await this.jobs
          .updateOne(
            { _id: jobId },
            {
              $set: { processed: start + slice.length },
              $inc: { created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged, failed: outcome.failedRows },
              ...(keep.length > 0 ? { $push: { firstErrors: { $each: keep } } } : {}),
            },
          )
          .exec();
      }
      await this.jobs.updateOne({ _id: jobId }, { $set: { status: 'done', finishedAt: now() } }).exec();
      logger.info({ event: 'import_done', jobId: String(jobId) }, 'import finished');
    } catch (err) {
      // Driver messages can quote a row's values (a duplicate key names it): log the kind only.
      const { name, code } = err as { name?: string; code?: number | string };
      logger.error({ event: 'import_failed', jobId: String(jobId), err: name ?? 'Error', code }, 'import failed');
      await this.jobs
        .updateOne({ _id: jobId }, { $set: { status: 'failed', finishedAt: now(), failure: 'database error while writing; rows written so far are kept, re-import the file' } })
        .exec()
        .catch(() => undefined);
    }
    await lease?.release().catch(() => undefined);
    const doc = await this.jobs.findById(jobId).lean().exec();
    // Invariant, not an expected condition: nothing deletes import jobs.
    if (!doc) throw new Error('import job vanished');
    return view(doc);
  }

  /** A keyed hash: the canonical row holds CCCD and phones, so a plain hash could be reversed by guessing. */
  private rowHash(kind: ImportKind, canonical: object): string {
    return this.deps.cipher.blindIndex('import', `${kind}:v1:${JSON.stringify(canonical)}`);
  }

  private async beneficiaryBatch(batch: NumberedRow[], actor: ImportActor, seen: Map<string, number>, register: RegisterLookup): Promise<BatchOutcome> {
    const now = this.deps.now();
    const out: BatchOutcome = { created: 0, updated: 0, unchanged: 0, errors: [], failedRows: 0 };
    const valid: { input: BeneficiaryInput; hash: string; row: number }[] = [];
    for (const item of batch) {
      const parsed = item.fieldCount ? undefined : parseBeneficiaryRow(item.raw, now);
      const errors: CellError[] = item.fieldCount
        ? [cellError('*', 'wrong_field_count', item.fieldCount)]
        : parsed && !parsed.ok
          ? parsed.errors
          : [];
      if (parsed?.ok) {
        const input = parsed.value;
        const firstRow = seen.get(input.bhxhCode);
        if (firstRow !== undefined) errors.push(cellError('bhxh_code', 'duplicate_in_file', { firstRow }));
        else if (actor.province !== null && input.provinceCode !== actor.province) errors.push(cellError('province_code', 'out_of_scope', { province: actor.province }));
        else {
          seen.set(input.bhxhCode, item.row);
          valid.push({ input, hash: this.rowHash('beneficiaries', input), row: item.row });
        }
      }
      if (errors.length > 0) {
        out.failedRows++;
        out.errors.push(...errors.map((e) => rowError(item.row, e)));
      }
    }
    if (valid.length === 0) return out;

    const known = await register.find(valid.map((v) => v.input.bhxhCode));
    const toReread: RegisterEntry[] = [];
    const pending: (typeof valid)[number][] = [];
    for (const item of valid) {
      const current = known.get(item.input.bhxhCode);
      const barred = current && outsideScope(current, actor);
      if (barred) refuseOutOfScope(out, item.row, barred);
      else if (current?.importHash === item.hash) out.unchanged++;
      else {
        pending.push(item);
        if (current) toReread.push(current);
      }
    }
    // Only the rows to write are read again, as they are now.
    const latest = await register.reread(toReread);
    const inserts: BeneficiaryDoc[] = [];
    const updates: AnyBulkWriteOperation<BeneficiaryDoc>[] = [];
    for (const { input, hash, row } of pending) {
      const current = latest.get(input.bhxhCode);
      // A scoped key may not touch (or move) another province's record, whatever its row says.
      const barred = current && outsideScope(current, actor);
      if (barred) {
        refuseOutOfScope(out, row, barred);
        continue;
      }
      if (current?.importHash === hash) {
        out.unchanged++;
        continue;
      }
      const stored = this.deps.beneficiaries.toStored(input);
      // A change made through the bot (reviewed, with "this was not me" alerts) outranks an
      // office export that may predate it: the import never reverts it silently.
      const { paymentMethod, ...rest } = stored;
      const set = current?.lastMethodChangeAt ? rest : { ...rest, paymentMethod };
      // By _id or as an insert: FerretDB reads the whole collection for any other filter, once per row.
      if (current) updates.push({ updateOne: { filter: { _id: current._id }, update: { $set: { ...set, importHash: hash } } } });
      else inserts.push({ ...set, importHash: hash, frozen: false } as BeneficiaryDoc);
    }
    await insertBatch(this.deps.models.beneficiaries, inserts, out);
    await writeBatch(this.deps.models.beneficiaries, updates, out);
    return out;
  }

  private async ledgerBatch(batch: NumberedRow[], actor: ImportActor, seen: Map<string, number>): Promise<BatchOutcome> {
    const now = this.deps.now();
    const out: BatchOutcome = { created: 0, updated: 0, unchanged: 0, errors: [], failedRows: 0 };
    const parsed = batch.map((item) => ({ item, result: item.fieldCount ? undefined : parseLedgerRow(item.raw, now) }));
    const codes = [...new Set(parsed.flatMap(({ result }) => (result?.ok ? [result.value.bhxhCode] : [])))];
    const people = await this.deps.models.beneficiaries.find({ bhxhCode: { $in: codes } }, { bhxhCode: 1, provinceCode: 1 }).lean().exec();
    const byCode = new Map(people.map((p) => [p.bhxhCode, p]));

    const valid: { input: LedgerInput; beneficiaryId: Types.ObjectId; provinceCode: string; hash: string }[] = [];
    for (const { item, result } of parsed) {
      const errors: CellError[] = item.fieldCount ? [cellError('*', 'wrong_field_count', item.fieldCount)] : result && !result.ok ? result.errors : [];
      if (result?.ok) {
        const input = result.value;
        const person = byCode.get(input.bhxhCode);
        const key = `${input.bhxhCode}|${input.period}`;
        const firstRow = seen.get(key);
        // An out-of-province code answers like an unknown one: a scoped key learns nothing about other provinces.
        if (!person || (actor.province !== null && person.provinceCode !== actor.province)) errors.push(cellError('bhxh_code', 'unknown_beneficiary'));
        else if (firstRow !== undefined) errors.push(cellError('bhxh_code', 'duplicate_in_file', { firstRow }));
        else {
          seen.set(key, item.row);
          valid.push({ input, beneficiaryId: person._id, provinceCode: person.provinceCode, hash: this.rowHash('ledger', input) });
        }
      }
      if (errors.length > 0) {
        out.failedRows++;
        out.errors.push(...errors.map((e) => rowError(item.row, e)));
      }
    }
    if (valid.length === 0) return out;

    const model = this.deps.models.payments;
    const existing = await model
      .find({ beneficiaryId: { $in: valid.map((v) => v.beneficiaryId) }, period: { $in: [...new Set(valid.map((v) => v.input.period))] } }, { beneficiaryId: 1, period: 1, importHash: 1 })
      .lean()
      .exec();
    const byKey = new Map(existing.map((e) => [`${String(e.beneficiaryId)}|${e.period}`, e]));
    const ops: AnyBulkWriteOperation<PaymentDoc>[] = [];
    for (const { input, beneficiaryId, provinceCode, hash } of valid) {
      const current = byKey.get(`${String(beneficiaryId)}|${input.period}`);
      if (current?.importHash === hash) {
        out.unchanged++;
        continue;
      }
      const { bhxhCode, period, amount, method, status, date, destinationMasked } = input;
      const optional = { date, destinationMasked };
      const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
      const fields = { bhxhCode, provinceCode, amount, method, status, importHash: hash, ...present };
      ops.push(
        current
          ? // A corrected file that leaves a date or destination empty must not keep the old one.
            { updateOne: { filter: { _id: current._id }, update: { $set: fields, ...unsetMissing(optional) } } }
          : { insertOne: { document: { beneficiaryId, period, ...fields } as PaymentDoc } },
      );
    }
    await writeBatch(model, ops, out);
    return out;
  }
}

/** `$unset` for optional ledger fields a row leaves empty. */
function unsetMissing(fields: Record<string, string | undefined>): { $unset?: Record<string, ''> } {
  const missing = Object.entries(fields).filter(([, v]) => v === undefined);
  return missing.length > 0 ? { $unset: Object.fromEntries(missing.map(([k]) => [k, ''])) } : {};
}

/** The distinct valid BHXH codes of a register file (what its rows will look up). */
function fileCodes(rows: readonly NumberedRow[]): Set<string> {
  const codes = new Set<string>();
  for (const { raw } of rows) {
    const code = parseBhxhCode(cell(raw, 'bhxh_code'));
    if (code.ok) codes.add(code.value);
  }
  return codes;
}

/** A scoped key's province when `record` lies outside it; null when the key may write it. */
const outsideScope = (record: RegisterEntry, actor: ImportActor): string | null =>
  actor.province !== null && record.provinceCode !== actor.province ? actor.province : null;

function refuseOutOfScope(out: BatchOutcome, row: number, province: string): void {
  out.failedRows++;
  out.errors.push(rowError(row, cellError('bhxh_code', 'out_of_scope', { province })));
}

function view(doc: ImportJobDoc): ImportJobView {
  return {
    id: String(doc._id),
    kind: doc.kind,
    status: doc.status,
    province: doc.province ?? null,
    startedBy: doc.startedBy,
    total: doc.total,
    processed: doc.processed,
    created: doc.created,
    updated: doc.updated,
    unchanged: doc.unchanged,
    failed: doc.failed,
    errors: (doc.firstErrors ?? []).map(({ row, column, code, messageVi, messageEn }) => ({ row, column, code, messageVi, messageEn })),
    failure: doc.failure ?? null,
    createdAt: doc.createdAt,
    startedAt: doc.startedAt ?? null,
    finishedAt: doc.finishedAt ?? null,
  };
}

/**
 * Inserts a batch's new rows in one unordered command: FerretDB inserts in
 * bulk cheaply, while each command is a round trip and a transaction. Lean:
 * hydrating and validating 500 mongoose documents cost as much as the insert
 * itself, and the parser has already checked every value against the same
 * enums. Schema defaults and timestamps are applied here instead, and empty
 * optional fields are left out (the driver would store them as null).
 */
async function insertBatch(model: BeneficiaryModel, docs: BeneficiaryDoc[], out: BatchOutcome): Promise<void> {
  if (docs.length === 0) return;
  const ready = docs.map((doc) => model.applyTimestamps(model.applyDefaults(withoutUndefined(doc))));
  // A failed insert (a code another import added meanwhile) throws, and the job fails as before.
  out.created += (await model.insertMany(ready, { ordered: false, lean: true })).length;
}

/** A copy of plain data without its undefined fields, at any depth. */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, withoutUndefined(v)]),
  ) as T;
}

/** Writes a batch unordered (inserts for new rows, updates by _id for known ones) and counts what was created or updated. */
async function writeBatch<O>(
  model: { bulkWrite(ops: O[], options: { ordered: false }): Promise<{ insertedCount: number; upsertedCount: number }> },
  ops: O[],
  out: BatchOutcome,
): Promise<void> {
  // In slices: FerretDB 1.24 was seen to stall on one update command of 100 statements.
  for (let i = 0; i < ops.length; i += BULK_SLICE) {
    const slice = ops.slice(i, i + BULK_SLICE);
    const result = await model.bulkWrite(slice, { ordered: false });
    const created = result.insertedCount + result.upsertedCount;
    out.created += created;
    out.updated += slice.length - created;
  }
}

/** Statements per bulk write sent to the server. */
const BULK_SLICE = 50;
