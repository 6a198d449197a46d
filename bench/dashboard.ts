import { loadConfig } from '../src/config.js';
import { startApp, type RunningApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { BENEFIT_TYPES } from '../src/db/models/beneficiary.js';
import { benchDatabase, commandCounter, fmt, printTable } from './harness.js';
import { withDatabase } from '../tests/support/db.js';
import { TEST_PII_ENV } from '../tests/support/keys.js';

const BENEFICIARIES = Number(process.env.BENCH_DASHBOARD_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 10);
const ADMIN_KEY = 'lhb_bench-dashboard-admin-key-0000000000000000';
const DISTRICTS = 12;
const PROVINCES = ['01', '79'];

/** Invented people, enough shape for the overview: province, district, benefit type, how they are paid. */
function beneficiary(n: number, now: Date) {
  const cashless = n % 5 < 2 ? 'bank' : n % 17 === 0 ? 'ewallet' : 'cash_post';
  return {
    bhxhCode: String(1_000_000_000 + n),
    fullName: 'Người Hưởng Mẫu',
    birthDate: '1950-01-01',
    gender: n % 2 ? 'female' : 'male',
    phones: [],
    phoneIndexes: [],
    provinceCode: PROVINCES[n % PROVINCES.length]!,
    districtCode: String(1 + (n % DISTRICTS)).padStart(3, '0'),
    benefitType: BENEFIT_TYPES[n % BENEFIT_TYPES.length]!,
    monthlyAmount: 4_350_000,
    paymentMethod: { kind: cashless },
    frozen: false,
    createdAt: now,
    updatedAt: now,
  };
}

async function timeRuns(runs: number, once: () => Promise<void>): Promise<number> {
  await once(); // warm-up: connections, plan caches
  const started = performance.now();
  for (let i = 0; i < runs; i++) await once();
  return (performance.now() - started) / runs;
}

/**
 * Milliseconds for the staff console's overview of one province
 * (`GET /admin/api/dashboard`, over HTTP with authentication) against the one
 * query no overview can do without: a single driver `$group` of that province's
 * beneficiaries by district, benefit type and payment method.
 */
export async function benchDashboard(): Promise<{ full: number; bare: number; ratio: number; perView: number }> {
  const db = await benchDatabase();
  let app: RunningApp | undefined;
  try {
    const config = loadConfig({
      MONGODB_URI: withDatabase(db.uri, 'bench_dashboard'),
      NODE_ENV: 'test',
      SIMULATOR_ENABLED: 'false',
      JOBS_ENABLED: 'false',
      BROADCAST_WORKER_ENABLED: 'false',
      ADMIN_BOOTSTRAP_KEY: ADMIN_KEY,
      ...TEST_PII_ENV,
    });
    const running = await startApp(config, { logger: createLogger('silent'), port: 0 });
    app = running;
    const beneficiaries = running.connection.collection('beneficiaries');
    await beneficiaries.deleteMany({});
    const now = new Date();
    for (let from = 0; from < BENEFICIARIES; from += 10_000) {
      const batch = Array.from({ length: Math.min(10_000, BENEFICIARIES - from) }, (_, i) => beneficiary(from + i, now));
      await beneficiaries.insertMany(batch, { ordered: false });
    }

    const bare = await timeRuns(RUNS, async () => {
      await beneficiaries
        .aggregate([
          { $match: { provinceCode: '01' } },
          { $group: { _id: { d: '$districtCode', b: '$benefitType', k: '$paymentMethod.kind' }, n: { $sum: 1 } } },
        ])
        .toArray();
    });
    const commands = commandCounter(running.connection);
    const full = await timeRuns(RUNS, async () => {
      const res = await fetch(`${running.url}/admin/api/dashboard?province=01`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
      if (!res.ok) throw new Error(`dashboard answered ${res.status}`);
      await res.json();
    });

    // timeRuns makes RUNS + 1 calls (one warm-up); the app makes the commands, the bare query is on the same client.
    const perView = commands.count() / (RUNS + 1);
    const ratio = bare / full;
    printTable(`bench/dashboard — ${BENEFICIARIES} beneficiaries in ${PROVINCES.length} provinces, one province's overview (database: ${db.label})`, [
      ['console overview (GET /admin/api/dashboard?province=01, HTTP + auth + every figure)', `${fmt(full)} ms`],
      ['baseline (one driver $group of the province by district, benefit, method)', `${fmt(bare)} ms`],
      ['ratio baseline / overview (1 = no cost beyond the one query)', fmt(ratio, 3)],
      ['database commands per dashboard view (auth, audit and session included)', fmt(perView, 1)],
    ]);
    return { full, bare, ratio, perView };
  } finally {
    await app?.connection.dropDatabase().catch(() => undefined);
    await app?.stop();
    await db.stop();
  }
}
