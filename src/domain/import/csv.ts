import { fail, ok, type Result } from '../validators/result.js';

/** A parsed CSV file: header names and one string array per record. */
export interface CsvTable {
  header: string[];
  records: string[][];
}

const BOM = '\uFEFF';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an uploaded file as UTF-8, with or without BOM. A Windows-1258 or
 * 1252 export (what older office PCs still save) is not valid UTF-8: refusing
 * it whole beats importing mojibake names that no one can match later.
 * Text already decoded upstream is checked for U+FFFD, the mark a lenient
 * decoder leaves where bytes were not UTF-8.
 */
export function decodeCsv(input: Uint8Array | string): Result<string, 'bad_encoding'> {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = strictUtf8.decode(input);
    } catch {
      return fail('bad_encoding');
    }
  }
  if (text.includes('\uFFFD')) return fail('bad_encoding');
  return ok(text.startsWith(BOM) ? text.slice(1) : text);
}

/**
 * Parses RFC 4180 CSV: quoted fields may hold the delimiter, doubled quotes
 * and line breaks; CRLF or LF line ends; blank lines are skipped. The
 * delimiter is read from the header line (`;` when it has semicolons and no
 * commas, as some spreadsheet locales save), so `;` inside a phones field
 * never confuses it.
 */
export function parseCsv(text: string): Result<CsvTable, 'unterminated_quote' | 'empty'> {
  const firstLineEnd = text.search(/\r?\n/);
  const firstLine = firstLineEnd === -1 ? text : text.slice(0, firstLineEnd);
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';

  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    field = '';
    // A line with nothing on it is not a record (trailing newline, spacer lines).
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      endRow();
    } else if (ch === '\r') {
      if (text[i + 1] !== '\n') endRow();
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted) return fail('unterminated_quote');
  if (field !== '' || row.length > 0) endRow();
  const [header, ...records] = rows;
  if (!header) return fail('empty');
  return ok({ header: header.map((h) => h.trim().toLowerCase()), records });
}

/**
 * One cell of a staff export (fraud cases, requests): empty for null, ISO 8601
 * for a date, quoted when it holds a delimiter, quote or line break. Text a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading
 * apostrophe: it may be typed by the public. Numbers are written as they are.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Quotes a value for CSV output when it holds a delimiter, quote or line break. */
export function csvField(value: string | number): string {
  const text = String(value);
  // A leading = + - @ would run as a formula when staff open the file in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line from values, CRLF-terminated as RFC 4180 asks. */
export function csvLine(values: (string | number)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
