/**
 * `npm run seed:demo`: fills a development database with about fifty invented
 * beneficiaries and six months of payment ledger, through the import path
 * (ImportService), so the simulator has people to link and payments to show.
 *
 * Database: MONGODB_URI if set; else, while `npm run dev` runs in this folder,
 * the database it serves (named in .data/dev-server.json; no need to stop it);
 * else the development database under .data/ as `npm run dev` would start it.
 * A stale .data/dev-server.json (process gone, or nothing answering) is ignored.
 * The counts printed at the end are read back from that database after seeding.
 * PII keys: from the environment, or .data/dev-keys.json as `npm run dev` makes them.
 * Running it again changes nothing that has not changed (import hashes).
 *
 * Every identifier here is DEMO data: valid in format, invented, belonging to no one.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { startApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { resolveDevDatabase } from '../src/db/dev-database.js';
import { devAppDatabaseUri, devServerAppUri, devServerDatabase, findLiveDevServer, useDevelopmentPiiKeys } from '../src/dev-setup.js';
import { beneficiaryModel } from '../src/db/models/beneficiary.js';
import { paymentModel } from '../src/db/models/payment.js';
import { vietnamToday } from '../src/domain/validators/dates.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
const dataDir = join(process.cwd(), '.data');
mkdirSync(dataDir, { recursive: true });

// The same development keys `npm run dev` uses, so the app can decrypt what we write.
useDevelopmentPiiKeys(dataDir);

interface Province {
  code: string;
  cccdPrefix: string;
  district: string;
  commune: string;
}
/** Hà Nội, Hải Phòng, Tuyên Quang (whose plan targets cashless pensions). */
const PROVINCES: Province[] = [
  { code: '01', cccdPrefix: '001', district: '001', commune: '00004' },
  { code: '31', cccdPrefix: '031', district: '303', commune: '11311' },
  { code: '08', cccdPrefix: '008', district: '070', commune: '02215' },
];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const MALE = ['Văn An', 'Văn Bảo', 'Đức Cường', 'Quang Dũng', 'Minh Hải', 'Văn Khánh', 'Hữu Lộc', 'Văn Nam'];
const FEMALE = ['Thị Bình', 'Thị Cúc', 'Thị Dung', 'Thị Hoa', 'Thị Lan', 'Thị Mai', 'Thị Nga', 'Thị Oanh'];
const METHODS = ['bank', 'cash_post', 'ewallet', 'cash_home', 'bank', 'cash_post'] as const;
const BANKS = [
  { bin: '970405', name: 'Agribank' },
  { bin: '970436', name: 'Vietcombank' },
  { bin: '970415', name: 'VietinBank' },
  { bin: '970418', name: 'BIDV' },
];
const PHONE_PREFIXES = ['091', '098', '086', '083', '035', '038'];
const COUNT = 50;

interface Persona {
  bhxhCode: string;
  birth: string;
  phone: string;
  name: string;
  province: Province;
  method: (typeof METHODS)[number];
  amount: number;
  account?: string;
  bank?: (typeof BANKS)[number];
}

function persona(i: number): Persona {
  const province = PROVINCES[i % PROVINCES.length]!;
  const female = i % 2 === 1;
  const year = 1938 + ((i * 7) % 27);
  const method = METHODS[i % METHODS.length]!;
  const bank = BANKS[i % BANKS.length]!;
  return {
    bhxhCode: `${province.code}9900${String(i).padStart(4, '0')}`,
    birth: `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/${year}`,
    phone: `${PHONE_PREFIXES[i % PHONE_PREFIXES.length]}99${String(i).padStart(5, '0')}`,
    name: `${FAMILY[i % FAMILY.length]} ${(female ? FEMALE : MALE)[i % 8]}`,
    province,
    method,
    amount: 2_500_000 + ((i * 137_000) % 5_000_000),
    ...(method === 'bank' ? { bank, account: `${bank.bin.slice(3)}99${String(100_000 + i)}` } : {}),
    ...(method === 'ewallet' ? { account: `0399${String(100_000 + i)}` } : {}),
  };
}

const people = Array.from({ length: COUNT }, (_, i) => persona(i));
const cccdOf = (p: Persona, i: number) => {
  const year = Number(p.birth.slice(-4));
  const centuryGender = (year >= 2000 ? 2 : 0) + (i % 2);
  return `${p.province.cccdPrefix}${centuryGender}${String(year % 100).padStart(2, '0')}99${String(i).padStart(4, '0')}`;
};

// A running `npm run dev` owns its database: seed into it rather than start a second server
// on the same files (the second's writes would be lost). MONGODB_URI, when set, wins for both.
const useEnv = Boolean(process.env.MONGODB_URI) || process.env.DEV_DB === 'env';
const live = useEnv ? null : await findLiveDevServer(dataDir, log);
const db = live ? devServerDatabase(live) : await resolveDevDatabase({ dataDir, persist: true, log });
if (live) log(`database: ${db.label}`);
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TELEGRAM_') && !k.startsWith('ZALO_')));
const config = loadConfig({ ...env, MONGODB_URI: live ? devServerAppUri(live) : devAppDatabaseUri(db), SIMULATOR_ENABLED: 'false', LOG_LEVEL: 'silent' });
const app = await startApp(config, { logger: createLogger('silent'), port: 0 });

try {
  const actor = { startedBy: 'seed-demo', province: null };
  const register = await app.domain.imports.startBeneficiaryImport(
    {
      rows: people.map((p, i) => ({
        bhxh_code: p.bhxhCode,
        cccd: cccdOf(p, i),
        full_name: p.name,
        date_of_birth: p.birth,
        gender: i % 2 === 1 ? 'nu' : 'nam',
        phones: p.phone,
        province_code: p.province.code,
        district_code: p.province.district,
        commune_code: p.province.commune,
        benefit_type: i % 9 === 4 ? 'tro cap hang thang' : i % 11 === 5 ? 'merit' : 'huu tri',
        monthly_amount: p.amount,
        payment_method: p.method,
        bank_bin: p.bank?.bin ?? '',
        account_number: p.account ?? '',
        account_holder: p.account ? p.name : '',
      })),
    },
    actor,
  );
  const registered = await register.done;

  // Six periods ending this month; this month's status depends on whether the payment day has come.
  const today = vietnamToday();
  const periods = Array.from({ length: 6 }, (_, back) => {
    const index = today.year * 12 + today.month - 1 - back;
    return { year: Math.floor(index / 12), month: (index % 12) + 1, back };
  });
  const statusOf = (p: Persona, i: number, back: number, dayPassed: boolean): string => {
    const cash = p.method === 'cash_post' || p.method === 'cash_home';
    if (back === 0) {
      if (!dayPassed || i % 5 === 0) return 'scheduled';
      if (p.method === 'bank' && i % 4 === 0) return 'returned';
      if (p.method === 'cash_post' && i % 3 !== 2) return 'awaiting_cash_pickup';
      return 'paid';
    }
    if (back === 1 && p.method === 'bank' && i % 7 === 0) return 'returned';
    if (back === 2 && !cash && i % 13 === 1) return 'failed';
    return 'paid';
  };
  const ledgerRows = people.flatMap((p, i) => {
    if (i === COUNT - 1) return []; // one person newly added: nothing on the list yet
    const payDay = config.payments.paymentDays[p.province.code] ?? config.payments.paymentDays.default ?? 5;
    return periods.map(({ year, month, back }) => {
      const dayPassed = back > 0 || today.day >= payDay;
      const status = statusOf(p, i, back, dayPassed);
      const day = status === 'awaiting_cash_pickup' ? 25 : payDay;
      const destination = p.method === 'bank' ? `${p.bank!.name} ${p.account}` : p.method === 'ewallet' ? `Viettel Money ${p.account}` : '';
      return {
        bhxh_code: p.bhxhCode,
        period: `${year}-${String(month).padStart(2, '0')}`,
        amount: p.amount,
        method: p.method,
        status,
        date: `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`,
        destination,
      };
    });
  });
  const ledger = await (await app.domain.imports.startLedgerImport({ rows: ledgerRows }, actor)).done;

  // Read back through the same connection before reporting anything: the import's counts say what
  // it did, these say what the database (the one the dev server reads) now holds.
  const codes = people.map((p) => p.bhxhCode);
  const [storedPeople, storedPayments] = await Promise.all([
    beneficiaryModel(app.connection).countDocuments({ bhxhCode: { $in: codes } }),
    paymentModel(app.connection).countDocuments({ bhxhCode: { $in: codes } }),
  ]);
  const where = `database "${app.connection.name}" on ${db.label}`;
  if (storedPeople < COUNT - registered.failed || storedPayments < ledgerRows.length - ledger.failed) {
    log(`\nSeeding FAILED: ${where} holds ${storedPeople} of ${COUNT} demo beneficiaries and ${storedPayments} of ${ledgerRows.length} ledger rows after the import.`);
    process.exitCode = 1;
  } else {
    log(`\nDemo register: ${registered.created} created, ${registered.updated} updated, ${registered.unchanged} unchanged, ${registered.failed} refused.`);
    log(`Demo ledger:   ${ledger.created} created, ${ledger.updated} updated, ${ledger.unchanged} unchanged, ${ledger.failed} refused.`);
    if (registered.failed + ledger.failed > 0) log(`Refused rows: ${JSON.stringify([...registered.errors, ...ledger.errors].slice(0, 5))}`);
    log(`In the database: ${storedPeople} demo beneficiaries, ${storedPayments} ledger rows (${where}).`);

    log('\nDemo personas (invented; use them in the simulator to link a record):');
    log(`  ${'BHXH code'.padEnd(11)} ${'birth date'.padEnd(11)} ${'phone'.padEnd(11)} ${'prov'.padEnd(4)} ${'method'.padEnd(10)} this month`);
    const shown = [0, 1, 2, 3, 4, 5, 8, 10, 12, COUNT - 1];
    for (const i of shown) {
      const p = people[i]!;
      const current = ledgerRows.find((r) => r.bhxh_code === p.bhxhCode && r.period === `${today.year}-${String(today.month).padStart(2, '0')}`);
      log(`  ${p.bhxhCode.padEnd(11)} ${p.birth.padEnd(11)} ${p.phone.padEnd(11)} ${p.province.code.padEnd(4)} ${p.method.padEnd(10)} ${current?.status ?? '(not listed)'}`);
    }
    log('');
  }
} finally {
  await app.stop();
  await db.stop();
}
process.exit(process.exitCode ?? 0);
