/**
 * One racing process for tests/integration/claims.test.ts: connects to
 * MONGODB_URI, waits for "go" on stdin so every process starts together, runs
 * CLAIMS_TASK, prints one JSON line with what it won, and exits.
 */
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { Claims } from '../../src/db/claims.js';
import { claimModel } from '../../src/db/models/claim.js';

const uri = process.env.MONGODB_URI!;
const task = process.env.CLAIMS_TASK!;
const rounds = Number(process.env.CLAIMS_ROUNDS ?? '10');
const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 });
await connection.asPromise();
const claims = new Claims(claimModel(connection));
await claimModel(connection).init();
process.stdout.write('ready\n');
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));

let result: unknown;
if (task === 'once') {
  const wins = await Promise.all(Array.from({ length: rounds }, () => claims.once('refresh:token-1')));
  result = { wins: wins.filter(Boolean).length };
} else if (task === 'take') {
  const taken = await Promise.all(Array.from({ length: rounds }, () => claims.take('identity:chat-1:record-1', 5, 24 * 3600_000)));
  result = { ok: taken.filter((t) => t.ok).length };
} else if (task === 'lease') {
  // Each process keeps asking for one lease; while holding it, it records the interval.
  const held: { start: number; end: number; token: number }[] = [];
  const owner = `p${process.pid}`;
  const deadline = Date.now() + Number(process.env.CLAIMS_MS ?? '3000');
  while (Date.now() < deadline) {
    const lease = await claims.lease('batch:b1', owner, 400);
    if (!lease) continue;
    const start = Date.now();
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    const end = Date.now();
    if (end < lease.validUntil()) held.push({ start, end, token: lease.token });
    // Now and then a holder "crashes": it never releases, and the others must wait for the expiry.
    if (Math.random() < 0.2) continue;
    await lease.release();
  }
  result = { held };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
await connection.close();
process.exit(0);
