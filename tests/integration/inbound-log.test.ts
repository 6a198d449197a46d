import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processedInboundModel } from '../../src/db/models/processed-inbound.js';
import { InboundLog } from '../../src/engine/inbound-log.js';
import { connectTestMongoose, type TestMongoose } from '../support/db.js';

const CLAIM_MS = 60_000;

describe('inbound log claims', () => {
  let db: TestMongoose;
  let log: InboundLog;
  const t0 = new Date('2026-11-23T03:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  beforeAll(async () => {
    db = await connectTestMongoose();
    await processedInboundModel(db.connection).init();
    log = new InboundLog(processedInboundModel(db.connection), 3 * 24 * 3600_000, CLAIM_MS);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('gives an update to one handler, reports it in progress meanwhile and a duplicate once done', async () => {
    expect(await log.begin('t:1', at(0))).toBe('new');
    expect(await log.begin('t:1', at(1000))).toBe('in_progress');
    await log.done('t:1');
    expect(await log.begin('t:1', at(2000))).toBe('duplicate');
    // Done is final: even long after the claim would have lapsed.
    expect(await log.begin('t:1', at(10 * CLAIM_MS))).toBe('duplicate');
  });

  it('lets a redelivery take over the claim of a handler that died', async () => {
    expect(await log.begin('t:2', at(0))).toBe('new');
    expect(await log.begin('t:2', at(CLAIM_MS - 1))).toBe('in_progress');
    expect(await log.begin('t:2', at(CLAIM_MS + 1))).toBe('new');
    expect(await log.begin('t:2', at(CLAIM_MS + 2))).toBe('in_progress');
  });

  it('releases the claim after a failure so the retry is handled at once, but never forgets a finished id', async () => {
    expect(await log.begin('t:3', at(0))).toBe('new');
    await log.release('t:3');
    expect(await log.begin('t:3', at(1000))).toBe('new');
    await log.done('t:3');
    await log.release('t:3');
    expect(await log.begin('t:3', at(2000))).toBe('duplicate');
  });
});
