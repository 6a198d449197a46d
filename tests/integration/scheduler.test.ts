import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestMongoose, type TestMongoose } from '../support/db.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { Claims } from '../../src/db/claims.js';
import { claimModel } from '../../src/db/models/claim.js';
import { jobLeaseModel } from '../../src/db/models/job-lease.js';
import { createLogger } from '../../src/logger.js';

let db: TestMongoose;
beforeAll(async () => {
  db = await connectTestMongoose();
  await jobLeaseModel(db.connection).init();
  await claimModel(db.connection).init();
});
afterAll(async () => {
  await db?.drop();
});

describe('scheduler', () => {
  it('runs a due job once per period even when several instances tick together', async () => {
    const runs: string[] = [];
    const job = { name: 'daily', everyMs: 24 * 3600_000, run: async () => void runs.push('x') };
    const instances = Array.from({ length: 3 }, () => new Scheduler(new Claims(claimModel(db.connection)), jobLeaseModel(db.connection), [job], createLogger('silent')));
    const t0 = new Date('2026-11-23T00:00:00Z');
    await Promise.all(instances.map((s) => s.tick(t0)));
    expect(runs).toHaveLength(1);
    await Promise.all(instances.map((s) => s.tick(new Date(t0.getTime() + 3600_000))));
    expect(runs).toHaveLength(1);
    await Promise.all(instances.map((s) => s.tick(new Date(t0.getTime() + 25 * 3600_000))));
    expect(runs).toHaveLength(2);
  });

  it('records a failure and tries again next period', async () => {
    let calls = 0;
    const job = { name: 'flaky', everyMs: 1000, run: async () => { calls++; if (calls === 1) throw new Error('boom'); } };
    const scheduler = new Scheduler(new Claims(claimModel(db.connection)), jobLeaseModel(db.connection), [job], createLogger('silent'));
    const t0 = new Date('2026-11-23T00:00:00Z');
    expect(await scheduler.tick(t0)).toEqual(['flaky']);
    expect((await jobLeaseModel(db.connection).findById('flaky').lean())!.lastError).toBe('boom');
    expect(await scheduler.tick(new Date(t0.getTime() + 2000))).toEqual(['flaky']);
    expect((await jobLeaseModel(db.connection).findById('flaky').lean())!.lastError).toBeNull();
  });
});
