import express from 'express';
import { z } from 'zod';
import type { Domain } from '../../domain/domain.js';
import { ImportRejectedError, type ImportActor, type ImportSource, type StartedImport } from '../../domain/imports.js';
import { BENEFICIARY_COLUMNS, BENEFICIARY_REQUIRED_COLUMNS } from '../../domain/import/beneficiary-row.js';
import { LEDGER_COLUMNS, LEDGER_REQUIRED_COLUMNS } from '../../domain/import/ledger-row.js';
import { ADMIN_JSON_MAX_BYTES } from './admin-router.js';
import { ApiError } from './admin-errors.js';
import type { AdminRouteModule, RouteInput } from './route-module.js';
import { isoDate, objectId, parseBody } from './validate.js';

const MAX_JSON_ROWS = 5_000;
const CSV_MAX_BYTES = 50 * 1024 * 1024;

/** One invented row per kind, by column, for the example file the console offers. */
const EXAMPLES = {
  beneficiaries: {
    bhxh_code: '0100000101',
    cccd: '001052000101',
    full_name: 'Nguyễn Văn An',
    date_of_birth: '05/03/1952',
    gender: 'nam',
    phones: '0912345678',
    province_code: '01',
    district_code: '001',
    commune_code: '00001',
    benefit_type: 'hưu trí',
    monthly_amount: '4.350.000',
    payment_method: 'bank',
    bank_bin: '970436',
    account_number: '1234567890',
    account_holder: 'NGUYEN VAN AN',
  } satisfies Record<(typeof BENEFICIARY_COLUMNS)[number], string>,
  ledger: {
    bhxh_code: '0100000101',
    period: '2026-03',
    amount: '4350000',
    method: 'bank',
    status: 'paid',
    date: '05/03/2026',
    destination: 'Vietcombank 1234567890',
  } satisfies Record<(typeof LEDGER_COLUMNS)[number], string>,
};

/** The columns each import reads, in file order, from the row parsers themselves. */
function columnsOf(all: readonly string[], required: readonly string[]) {
  return all.map((name) => ({ name, required: required.includes(name) }));
}

const columnsView = z.object({
  kinds: z.array(
    z.object({
      kind: z.enum(['beneficiaries', 'ledger']),
      columns: z.array(z.object({ name: z.string(), required: z.boolean().describe('The header must have it') })).describe('In the documented order'),
      example: z.record(z.string(), z.string()).describe('An invented row, by column'),
    }),
  ),
  limits: z.object({ csvBytes: z.number(), jsonBytes: z.number(), jsonRows: z.number() }),
});

/** JSON rows use the CSV column names; values may be strings, numbers, or a list of phones. */
const jsonBody = z.strictObject({
  rows: z
    .array(z.record(z.string(), z.union([z.string().max(500), z.number(), z.array(z.string().max(30)).max(10), z.null()])))
    .min(1, 'rows must not be empty')
    .max(MAX_JSON_ROWS, `at most ${MAX_JSON_ROWS} rows per JSON request; upload larger files as CSV`),
});

const rowError = z.object({ row: z.number(), column: z.string(), code: z.string(), messageVi: z.string(), messageEn: z.string() });
const jobView = z.object({
  id: z.string(),
  kind: z.enum(['beneficiaries', 'ledger']),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  province: z.string().nullable(),
  startedBy: z.string().describe('Id of the key that started the import'),
  total: z.number(),
  processed: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  failed: z.number().describe('Rows refused; see `errors` (the first 50) and errors.csv (all)'),
  errors: z.array(rowError),
  failure: z.string().nullable(),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
});
const idParams = z.strictObject({ id: objectId });
const listQuery = z.strictObject({
  kind: z.enum(['beneficiaries', 'ledger']).optional().describe('Only imports of this kind'),
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('At most this many imports, newest first'),
});
const listItem = jobView.omit({ errors: true });

/**
 * CSV arrives as raw bytes, not text: decoding is the domain's job, so that a
 * Windows-1258 file is refused as `bad_encoding` instead of being decoded
 * leniently into mojibake names.
 */
const csvBody = express.raw({ type: ['text/csv', 'text/plain'], limit: CSV_MAX_BYTES });

const UPLOAD_ERRORS = {
  400: 'Whole file refused: `bad_encoding` (not UTF-8), `bad_columns` (missing, unknown or repeated header columns, named in the message), `bad_csv`, `empty_file`',
  413: 'Body too large (CSV 50 MB; JSON 1 MB)',
};

function sourceOf(input: RouteInput<unknown, unknown, unknown>): ImportSource {
  const body: unknown = input.req.body;
  if (Buffer.isBuffer(body)) return { csv: body };
  return parseBody(jsonBody, body);
}

async function started(run: () => Promise<StartedImport>): Promise<StartedImport> {
  try {
    const result = await run();
    // The job records its own failure; nothing is left to await here.
    void result.done.catch(() => undefined);
    return result;
  } catch (err) {
    if (err instanceof ImportRejectedError) throw new ApiError(400, err.code, err.message);
    throw err;
  }
}

const actorOf = (input: RouteInput<unknown, unknown, unknown>): ImportActor => ({ startedBy: input.staff.keyId, province: input.scope() });

/** Staff imports of the beneficiary register and the monthly payment ledger. */
export const importsAdminRoutes = (domain: Domain): AdminRouteModule => ({
  tag: {
    name: 'Imports',
    description: 'Beneficiary register and monthly payment ledger imports (CSV or JSON), run as jobs with progress and row errors. Columns: docs/imports.md.',
  },
  register(api) {
    const upload = (kind: 'beneficiaries' | 'ledger', summary: string, description: string) =>
      api.write(
        {
          method: 'post',
          path: `/imports/${kind}`,
          summary,
          description: `${description} Send \`text/csv\` (UTF-8, with or without BOM; header line with the documented column names) or JSON \`{ "rows": [{ "bhxh_code": "…", … }] }\` (at most ${MAX_JSON_ROWS} rows). Answers 202 at once with the job; poll \`GET /imports/{id}\`. A province-scoped key imports only rows of its province; other rows become row errors.`,
          roles: ['reviewer'],
          middleware: [csvBody],
          response: { status: 202, description: 'The queued job', schema: jobView },
          errors: UPLOAD_ERRORS,
          audit: { action: `import.${kind}`, targetType: 'import_job' },
        },
        async (input) => {
          const source = sourceOf(input);
          const actor = actorOf(input);
          const { job } = await started(() =>
            kind === 'beneficiaries' ? domain.imports.startBeneficiaryImport(source, actor) : domain.imports.startLedgerImport(source, actor),
          );
          return { body: job, audit: { targetId: job.id, details: { kind, total: job.total, format: 'csv' in source ? 'csv' : 'json' } } };
        },
      );

    upload(
      'beneficiaries',
      'Import beneficiaries',
      'Upserts by BHXH code. Re-importing an unchanged row counts it as `unchanged` and writes nothing; a BHXH code repeated in the file is a row error on the later row.',
    );
    upload('ledger', 'Import the payment ledger', 'One row per beneficiary and period (YYYY-MM), upserted on that pair. Full account numbers in `destination` are masked before storing.');

    // Before `/imports/:id`, which would otherwise take "columns" for an id.
    api.read(
      {
        path: '/imports/columns',
        summary: 'Columns of each import file',
        description: 'What the console shows before an upload: each kind\'s columns in order, which the header must have, an example row, and the body limits.',
        roles: ['reviewer'],
        response: { description: 'Columns and limits', schema: columnsView },
      },
      async () => ({
        kinds: [
          { kind: 'beneficiaries' as const, columns: columnsOf(BENEFICIARY_COLUMNS, BENEFICIARY_REQUIRED_COLUMNS), example: EXAMPLES.beneficiaries },
          { kind: 'ledger' as const, columns: columnsOf(LEDGER_COLUMNS, LEDGER_REQUIRED_COLUMNS), example: EXAMPLES.ledger },
        ],
        limits: { csvBytes: CSV_MAX_BYTES, jsonBytes: ADMIN_JSON_MAX_BYTES, jsonRows: MAX_JSON_ROWS },
      }),
    );

    api.read(
      {
        path: '/imports',
        summary: 'Recent imports',
        description: 'Newest first, without row errors (open one import for them). A province-scoped key sees only the imports it could open.',
        roles: ['reviewer'],
        query: listQuery,
        response: { description: 'Imports, newest first', schema: z.object({ items: z.array(listItem) }) },
      },
      async ({ query, scope }) => ({ items: await domain.imports.recent(scope(), { limit: query.limit, kind: query.kind }) }),
    );

    api.read(
      {
        path: '/imports/:id',
        summary: 'Progress of an import',
        roles: ['reviewer'],
        params: idParams,
        response: { description: 'The job with its counts and first row errors', schema: jobView },
        errors: { 404: 'No such import in your province (`not_found`)' },
      },
      async ({ params, scope }) => {
        const job = await domain.imports.job(params.id, scope());
        if (!job) throw new ApiError(404, 'not_found', 'no such import', { field: 'id' });
        return job;
      },
    );

    api.read(
      {
        path: '/imports/:id/errors.csv',
        summary: 'All row errors of an import, as CSV',
        description: 'Columns: row, column, code, message_vi, message_en. UTF-8 with BOM so spreadsheets show Vietnamese correctly.',
        roles: ['reviewer'],
        params: idParams,
        response: { description: 'text/csv' },
        errors: { 404: 'No such import in your province (`not_found`)' },
      },
      async ({ params, scope, res }) => {
        const csv = await domain.imports.errorsCsv(params.id, scope());
        if (csv === null) throw new ApiError(404, 'not_found', 'no such import', { field: 'id' });
        res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="import-${params.id}-errors.csv"`).send(csv);
        return undefined;
      },
    );
  },
});
