import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENEFICIARY_COLUMNS, BENEFICIARY_REQUIRED_COLUMNS } from '../../src/domain/import/beneficiary-row.js';
import { LEDGER_COLUMNS, LEDGER_REQUIRED_COLUMNS } from '../../src/domain/import/ledger-row.js';

/**
 * The console's import page lists the columns for staff, copied from the row
 * parsers because the browser code has no build step: this keeps the copy true.
 */
const page = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'console', 'public', 'pages', 'imports.js'), 'utf8');

function columnsOf(kind: string): Array<[string, boolean]> {
  const block = new RegExp(`${kind}: \\{[\\s\\S]*?columns: \\[([\\s\\S]*?)\\n    \\]`).exec(page)?.[1];
  if (!block) throw new Error(`no column list for ${kind} in imports.js`);
  return [...block.matchAll(/\['(\w+)', (true|false),/g)].map((m) => [m[1]!, m[2] === 'true']);
}

describe('console import page columns', () => {
  it('lists the register columns in order, marking the required ones', () => {
    const required = new Set<string>(BENEFICIARY_REQUIRED_COLUMNS);
    expect(columnsOf('beneficiaries')).toEqual(BENEFICIARY_COLUMNS.map((c) => [c, required.has(c)]));
  });
  it('lists the ledger columns in order, marking the required ones', () => {
    const required = new Set<string>(LEDGER_REQUIRED_COLUMNS);
    expect(columnsOf('ledger')).toEqual(LEDGER_COLUMNS.map((c) => [c, required.has(c)]));
  });
});
