import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Claims } from '../../src/db/claims.js';
import { claimModel, type ClaimModel } from '../../src/db/models/claim.js';
import { connectTestMongoose, type TestMongoose } from '../support/db.js';

const PROCESSES = 4;

/** Starts PROCESSES children on one database, releases them together, and collects each one's JSON answer. */
async function race<T>(uri: string, task: string, env: Record<string, string> = {}): Promise<T[]> {
  const children: ChildProcess[] = [];
  const readies: Promise<void>[] = [];
  const answers: Promise<T>[] = [];
  for (let i = 0; i < PROCESSES; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/claims-child.ts'], {
      env: { ...process.env, MONGODB_URI: uri, CLAIMS_TASK: task, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    const lines = createInterface({ input: child.stdout! });
    const iterator = lines[Symbol.asyncIterator]();
    readies.push(iterator.next().then(({ value }) => expect(value).toBe('ready')));
    answers.push(
      readies[i]!.then(async () => {
        const { value } = await iterator.next();
        return JSON.parse(String(value)) as T;
      }),
    );
  }
  try {
    await Promise.all(readies);
    for (const child of children) child.stdin!.write('go\n');
    return await Promise.all(answers);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe('claims across processes (unique-key inserts, no conditional updates)', () => {
  let db: TestMongoose;
  beforeAll(async () => {
    db = await connectTestMongoose();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('lets exactly one of 4 processes × 10 concurrent callers win a single-use claim', async () => {
    const results = await race<{ wins: number }>(db.uri, 'once');
    expect(results.reduce((sum, r) => sum + r.wins, 0)).toBe(1);
  });

  it('allows exactly 5 attempts in the window to 4 processes × 10 concurrent callers', async () => {
    const results = await race<{ ok: number }>(db.uri, 'take');
    expect(results.reduce((sum, r) => sum + r.ok, 0)).toBe(5);
  });

  it('never lets two processes hold one lease at once, crashed holders included', async () => {
    const results = await race<{ held: { start: number; end: number; token: number }[] }>(db.uri, 'lease', { CLAIMS_MS: '3000' });
    const intervals = results.flatMap((r) => r.held).sort((a, b) => a.start - b.start);
    expect(intervals.length).toBeGreaterThan(10);
    for (let i = 1; i < intervals.length; i++) {
      expect(intervals[i]!.start, `lease ${intervals[i]!.token} began before ${intervals[i - 1]!.token} ended`).toBeGreaterThanOrEqual(intervals[i - 1]!.end);
      expect(intervals[i]!.token).toBeGreaterThan(intervals[i - 1]!.token);
    }
    // Several processes got their turn: the lease moves, it is not kept by the first winner.
    expect(results.filter((r) => r.held.length > 0).length).toBeGreaterThan(1);
  });
});

describe('Claims in one process', () => {
  let db: TestMongoose;
  let model: ClaimModel;
  let clock: number;
  let claims: Claims;
  beforeAll(async () => {
    db = await connectTestMongoose();
    model = claimModel(db.connection);
    await model.init();
  });
  afterAll(async () => {
    await db.drop();
  });
  const fresh = () => {
    clock = Date.UTC(2026, 11, 3, 3, 0, 0);
    claims = new Claims(model, () => clock);
  };

  it('hands a lease over only after release or expiry plus the skew margin, with a growing token', async () => {
    fresh();
    const a = await claims.lease('conv:1', 'a', 10_000);
    expect(a?.token).toBe(1);
    expect(await claims.lease('conv:1', 'b', 10_000)).toBeNull();
    clock += 10_000; // at the stored expiry: still within the margin
    expect(await claims.lease('conv:1', 'b', 10_000)).toBeNull();
    expect(await a!.renew()).toBe(false); // too late for the holder: its own deadline was a margin earlier
    clock += 1_001;
    const b = await claims.lease('conv:1', 'b', 10_000);
    expect(b?.token).toBe(2);
    expect(await a!.held()).toBe(false);
    expect(await b!.held()).toBe(true);
    await b!.release();
    const c = await claims.lease('conv:1', 'c', 10_000);
    expect(c?.token).toBe(3);
  });

  it('renews in time and keeps others out for the renewed period', async () => {
    fresh();
    const a = await claims.lease('batch:7', 'a', 3_000);
    clock += 2_000;
    expect(await a!.renew()).toBe(true);
    clock += 2_000;
    expect(await claims.lease('batch:7', 'b', 3_000)).toBeNull();
    expect(await a!.held()).toBe(true);
  });

  it('slides the attempt window, says what remains, and can start afresh', async () => {
    fresh();
    const day = 24 * 3600_000;
    const remaining: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await claims.take('id:x', 5, day);
      if (r.ok) remaining.push(r.remaining);
      clock += 3600_000;
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const refused = await claims.take('id:x', 5, day);
    expect(refused).toEqual({ ok: false, retryAt: new Date(Date.UTC(2026, 11, 4, 3, 0, 0)) });
    clock = Date.UTC(2026, 11, 4, 3, 0, 1); // the first attempt left the window
    expect(await claims.take('id:x', 5, day)).toMatchObject({ ok: true, remaining: 0 });
    await claims.resetAttempts('id:x', day);
    expect(await claims.used('id:x', day)).toBe(0);
  });

  it('purges only what ended a day ago, and a purged chain starts again safely', async () => {
    fresh();
    const a = await claims.lease('old', 'a', 1_000);
    await a!.release();
    expect(await claims.once('refresh:v1', 1_000)).toBe(true);
    clock += 2 * 24 * 3600_000;
    expect(await claims.purge()).toBeGreaterThanOrEqual(2);
    expect(await claims.once('refresh:v1', 1_000)).toBe(true);
    const b = await claims.lease('old', 'b', 1_000);
    expect(b).not.toBeNull();
  });
});
