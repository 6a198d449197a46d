import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDevDatabase, type DevDatabase } from '../src/db/dev-database.js';

/** A database for one benchmark run, chosen as tests choose theirs. */
export async function benchDatabase(): Promise<DevDatabase> {
  return resolveDevDatabase({ dataDir: join(tmpdir(), `bench-${process.pid}`), log: (line) => console.log(`  ${line}`) });
}

/** Runs `worker` on `concurrency` lanes until `total` jobs are done; returns jobs per second. */
export async function throughput(total: number, concurrency: number, worker: (job: number, lane: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      for (let job = next++; job < total; job = next++) await worker(job, lane);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

export const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function printTable(title: string, rows: [string, string][]): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}
