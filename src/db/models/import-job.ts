import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { IMPORT_KINDS, IMPORT_STATUSES, type ImportKind, type ImportStatus } from '../../vocabulary/imports.js';
export { IMPORT_KINDS, IMPORT_STATUSES, type ImportKind, type ImportStatus } from '../../vocabulary/imports.js';

/** Why a row was refused: spreadsheet row number, column, stable code and readable messages. */
export interface ImportRowError {
  row: number;
  column: string;
  code: string;
  messageVi: string;
  messageEn: string;
}

/** Counters an import job reports while it runs. */
export interface ImportCounts {
  total: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/**
 * One staff import (register or ledger). The first errors ride on the job so
 * a progress poll shows them; every error is in `import_job_errors`.
 */
export interface ImportJobDoc extends ImportCounts {
  _id: Types.ObjectId;
  kind: ImportKind;
  status: ImportStatus;
  /** null: an unscoped key; otherwise rows of other provinces are refused. */
  province: string | null;
  startedBy: string;
  firstErrors: ImportRowError[];
  /** Why the whole job failed (a database error), never row data. */
  failure?: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  updatedAt: Date;
}

const errorFields = {
  row: { type: Number, required: true },
  column: { type: String, required: true },
  code: { type: String, required: true },
  messageVi: { type: String, required: true },
  messageEn: { type: String, required: true },
} as const;

const jobSchema = new Schema<ImportJobDoc>(
  {
    kind: { type: String, enum: IMPORT_KINDS, required: true },
    status: { type: String, enum: IMPORT_STATUSES, required: true },
    province: { type: String, default: null },
    startedBy: { type: String, required: true },
    total: { type: Number, default: 0 },
    processed: { type: Number, default: 0 },
    created: { type: Number, default: 0 },
    updated: { type: Number, default: 0 },
    unchanged: { type: Number, default: 0 },
    failed: { type: Number, default: 0 },
    firstErrors: { type: [new Schema<ImportRowError>(errorFields, { _id: false })], default: [] },
    failure: String,
    startedAt: Date,
    finishedAt: Date,
  },
  { collection: 'import_jobs', versionKey: false, timestamps: true },
);
jobSchema.index({ createdAt: -1 });

/** Every row error of a job, for the errors.csv download. */
export interface ImportJobErrorDoc extends ImportRowError {
  _id: Types.ObjectId;
  jobId: Types.ObjectId;
}

const errorSchema = new Schema<ImportJobErrorDoc>(
  { jobId: { type: Schema.Types.ObjectId, required: true }, ...errorFields },
  { collection: 'import_job_errors', versionKey: false },
);
errorSchema.index({ jobId: 1, row: 1 });

export type ImportJobModel = Model<ImportJobDoc>;
export type ImportJobErrorModel = Model<ImportJobErrorDoc>;
export const importJobModel = (c: Connection): ImportJobModel =>
  (c.models.ImportJob as ImportJobModel | undefined) ?? c.model<ImportJobDoc>('ImportJob', jobSchema);
export const importJobErrorModel = (c: Connection): ImportJobErrorModel =>
  (c.models.ImportJobError as ImportJobErrorModel | undefined) ?? c.model<ImportJobErrorDoc>('ImportJobError', errorSchema);
