import { spawn } from 'node:child_process';
import type { Connection } from 'mongoose';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface BenchDatabase {
  uri: string;
  kind: string;
  /** Server, version and settings, as the tests print it. */
  label: string;
  stop(): Promise<void>;
}

/**
 * A database for one benchmark run, chosen as tests choose theirs, in a
 * separate process (bench/db-process.ts) so it does not share our event loop.
 */
export async function benchDatabase(): Promise<BenchDatabase> {
  const script = fileURLToPath(new URL('./db-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`database process exited with ${code}`)));
  });
  const { uri, kind, label } = JSON.parse(line) as { uri: string; kind: string; label: string };
  console.log(`database: ${label}`);
  return {
    uri,
    kind,
    label,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
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

/**
 * Counts the database commands a connection sends (the driver's command
 * monitoring; connections are opened with monitorCommands). Commands per unit
 * of work do not depend on the server or the machine, unlike times.
 */
export function commandCounter(connection: Connection): { reset(): void; count(): number } {
  let n = 0;
  connection.getClient().on('commandStarted', () => {
    n++;
  });
  return {
    reset: () => {
      n = 0;
    },
    count: () => n,
  };
}
