import { decodeCsv, parseCsv } from './csv.js';
import type { RawRow } from './beneficiary-row.js';

/** What staff upload: a CSV file (bytes or text) or JSON rows keyed by the same column names. */
export type ImportSource = { csv: Uint8Array | string } | { rows: readonly Record<string, unknown>[] };

/** A record with the row number staff see in their spreadsheet (header = row 1; JSON: index + 1). */
export interface NumberedRow {
  row: number;
  raw: RawRow;
  /** Set when a CSV record has a different number of fields than the header. */
  fieldCount?: { found: number; expected: number };
}

/** Why a whole file is refused before any row is read. */
export type ImportRejectCode = 'bad_encoding' | 'bad_columns' | 'bad_csv' | 'empty_file';

/** A whole-file refusal; the admin API answers it as a 400 with `code`. */
export class ImportRejectedError extends Error {
  override name = 'ImportRejectedError';
  constructor(
    readonly code: ImportRejectCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads an upload into numbered rows, refusing the whole file when its
 * encoding or header is wrong: a shifted or renamed column would otherwise
 * import every row into the wrong field.
 */
export function readSource(source: ImportSource, columns: readonly string[], required: readonly string[]): NumberedRow[] {
  if ('rows' in source) {
    const unknown = new Set<string>();
    const rows = source.rows.map((record, index) => {
      const raw: Record<string, string> = {};
      for (const [key, value] of Object.entries(record)) {
        const name = key.trim().toLowerCase();
        if (!columns.includes(name)) unknown.add(key);
        raw[name] = jsonCell(value);
      }
      return { row: index + 1, raw };
    });
    if (unknown.size > 0) throw new ImportRejectedError('bad_columns', `unknown columns: ${[...unknown].join(', ')}; expected ${columns.join(', ')}`);
    return rows;
  }

  const text = decodeCsv(source.csv);
  if (!text.ok) {
    throw new ImportRejectedError('bad_encoding', 'the file is not valid UTF-8 (probably saved as Windows-1258/1252); save it as "CSV UTF-8" and upload again');
  }
  const table = parseCsv(text.value);
  if (!table.ok) {
    if (table.reason === 'empty') throw new ImportRejectedError('empty_file', 'the file is empty; it needs a header line and rows');
    throw new ImportRejectedError('bad_csv', 'a quoted field is never closed; check the quotes in the file');
  }
  const { header, records } = table.value;
  const unknown = header.filter((h) => !columns.includes(h));
  const missing = required.filter((c) => !header.includes(c));
  const duplicated = header.filter((h, i) => header.indexOf(h) !== i);
  if (unknown.length > 0 || missing.length > 0 || duplicated.length > 0) {
    const parts = [
      missing.length > 0 ? `missing columns: ${missing.join(', ')}` : '',
      unknown.length > 0 ? `unknown columns: ${unknown.map((u) => u || '(empty)').join(', ')}` : '',
      duplicated.length > 0 ? `repeated columns: ${duplicated.join(', ')}` : '',
    ].filter(Boolean);
    throw new ImportRejectedError('bad_columns', `${parts.join('; ')}; expected ${columns.join(', ')}`);
  }
  return records.map((fields, index) => {
    const raw: Record<string, string> = {};
    header.forEach((name, i) => (raw[name] = fields[i] ?? ''));
    const numbered: NumberedRow = { row: index + 2, raw };
    if (fields.length !== header.length) numbered.fieldCount = { found: fields.length, expected: header.length };
    return numbered;
  });
}

function jsonCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(jsonCell).join(';');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
