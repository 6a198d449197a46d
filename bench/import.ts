import { loadConfig } from '../src/config.js';
import { startApp, type RunningApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { BENEFICIARY_COLUMNS, parseBeneficiaryRow } from '../src/domain/import/beneficiary-row.js';
import { parseCsv } from '../src/domain/import/csv.js';
import { benchDatabase, commandCounter, fmt, printTable } from './harness.js';
import { withDatabase } from '../tests/support/db.js';
import { TEST_PII_ENV } from '../tests/support/keys.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);

const HEADER = BENEFICIARY_COLUMNS.join(',');
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi'];
const GIVEN = ['Văn An', 'Thị Bình', 'Văn Cường', 'Thị Dung', 'Đức Hải', 'Thị Lan', 'Minh Tuấn', 'Thị Hoa'];

/** An invented, valid register row: half paid by bank, the rest in cash. */
function row(n: number): string {
  const year = 1940 + (n % 30);
  const female = n % 2 === 1;
  const cccd = `001${female ? '1' : '0'}${String(year % 100).padStart(2, '0')}${String(n % 1_000_000).padStart(6, '0')}`;
  const name = `${FAMILY[n % FAMILY.length]} ${GIVEN[(n >> 3) % GIVEN.length]}`;
  const bank = n % 2 === 0 ? `bank,970436,${String(1_000_000_000_000 + n)},` : 'cash_post,,,';
  return `01${String(n).padStart(8, '0')},${cccd},${name},05/03/${year},${female ? 'nu' : 'nam'},09${String(n).padStart(8, '0')},01,001,00001,pension,"4.350.000",${bank}`;
}

/**
 * Rows per second through the import path (ImportService on CSV text: parse,
 * validate, encrypt, hash, bulk upsert, progress) against a raw driver
 * insertMany of the same rows already encrypted, on the same database; then
 * the same file again, where every row is unchanged and nothing is written.
 */
export async function benchImport(): Promise<{ full: number; bare: number; ratio: number; perRow: number; again: number; againPerRow: number }> {
  const db = await benchDatabase();
  let app: RunningApp | undefined;
  try {
    const config = loadConfig({ MONGODB_URI: withDatabase(db.uri, 'bench_import'), NODE_ENV: 'test', SIMULATOR_ENABLED: 'false', ...TEST_PII_ENV });
    const running = await startApp(config, { logger: createLogger('silent'), port: 0 });
    app = running;
    await running.connection.dropDatabase();
    await running.connection.model('Beneficiary').init();
    const csv = `${HEADER}\n${Array.from({ length: ROWS }, (_, i) => row(i)).join('\n')}\n`;

    // Baseline input: the same rows, parsed and encrypted before the clock starts.
    const table = parseCsv(csv);
    if (!table.ok) throw new Error('bench CSV did not parse');
    const now = new Date();
    const stored = table.value.records.map((fields) => {
      const raw = Object.fromEntries(table.value.header.map((h, i) => [h, fields[i] ?? '']));
      const parsed = parseBeneficiaryRow(raw, now);
      if (!parsed.ok) throw new Error('bench row invalid');
      return { ...running.domain.beneficiaries.toStored(parsed.value), frozen: false, createdAt: now, updatedAt: now };
    });
    const raw = running.connection.collection('bench_raw_beneficiaries');
    await raw.createIndex({ bhxhCode: 1 }, { unique: true });
    let started = performance.now();
    await raw.insertMany(stored, { ordered: false });
    const bare = ROWS / ((performance.now() - started) / 1000);

    const commands = commandCounter(running.connection);
    started = performance.now();
    const { done } = await running.domain.imports.startBeneficiaryImport({ csv }, { startedBy: 'bench', province: null });
    const job = await done;
    const full = ROWS / ((performance.now() - started) / 1000);
    const perRow = commands.count() / ROWS;
    if (job.status !== 'done' || job.created !== ROWS) throw new Error(`bench import ended ${job.status} with ${job.created}/${ROWS} created`);

    // The monthly case: the office sends the whole register again, almost all of it unchanged.
    commands.reset();
    started = performance.now();
    const repeat = await (await running.domain.imports.startBeneficiaryImport({ csv }, { startedBy: 'bench', province: null })).done;
    const again = ROWS / ((performance.now() - started) / 1000);
    const againPerRow = commands.count() / ROWS;
    if (repeat.status !== 'done' || repeat.unchanged !== ROWS) throw new Error(`bench re-import ended ${repeat.status} with ${repeat.unchanged}/${ROWS} unchanged`);

    const ratio = full / bare;
    printTable(`bench/import — ${ROWS} beneficiaries (database: ${db.label})`, [
      ['import path (CSV → validate → encrypt → bulk upsert, with progress)', `${fmt(full)} rows/s`],
      ['baseline (driver insertMany of the same rows, already encrypted)', `${fmt(bare)} rows/s`],
      ['ratio import / baseline', fmt(ratio, 3)],
      ['database commands per imported row', fmt(perRow, 3)],
      ['re-import of the same file (every row unchanged, nothing written)', `${fmt(again)} rows/s`],
      ['database commands per re-imported row', fmt(againPerRow, 3)],
    ]);
    return { full, bare, ratio, perRow, again, againPerRow };
  } finally {
    await app?.connection.dropDatabase().catch(() => undefined);
    await app?.stop();
    await db.stop();
  }
}

// `tsx bench/import.ts` runs it alone until bench/run.ts lists it.
if (import.meta.url === `file://${process.argv[1]}`) {
  await benchImport();
  process.exit(0);
}
