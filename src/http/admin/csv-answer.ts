import type { Response } from 'express';
import { csvCell } from '../../domain/import/csv.js';

/**
 * Answers a CSV download: UTF-8 with a byte-order mark (so spreadsheet programs
 * show Vietnamese right), never cached, written row by row as they come.
 */
export async function writeCsv(
  res: Response,
  filename: string,
  header: readonly string[],
  rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>,
): Promise<void> {
  res.status(200);
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Content-Disposition', `attachment; filename="${filename}"`);
  res.set('Cache-Control', 'no-store');
  res.write(`\uFEFF${header.join(',')}\r\n`);
  for await (const row of rows) res.write(`${row.map(csvCell).join(',')}\r\n`);
  res.end();
}
