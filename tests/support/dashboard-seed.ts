import { Types, type Connection } from 'mongoose';
import { beneficiaryModel, type BenefitType, type PaymentMethodKind } from '../../src/db/models/beneficiary.js';

const DAY_MS = 86_400_000;

/** Targets the dashboard suites run with: overall differs from pension, so districts visibly compare to `overall`. */
export const DASHBOARD_TARGETS = 'overall:60,pension:50,lump_sum:98,unemployment:100';

/**
 * The register: [province, district, benefit, method]. Province 01 has 8 people,
 * 4 of them cashless (bank or e-wallet); province 79 has 3, 2 cashless.
 */
export const DASHBOARD_REGISTER: [string, string | null, BenefitType, PaymentMethodKind][] = [
  ['01', '001', 'pension', 'bank'],
  ['01', '001', 'pension', 'cash_post'],
  ['01', '001', 'pension', 'cash_post'],
  ['01', '001', 'lump_sum', 'ewallet'],
  ['01', '002', 'pension', 'bank'],
  ['01', '002', 'monthly_allowance', 'cash_home'],
  ['01', '002', 'unemployment', 'bank'],
  ['01', null, 'merit', 'cash_post'],
  ['79', '760', 'pension', 'bank'],
  ['79', '760', 'pension', 'cash_post'],
  ['79', '760', 'social_assistance', 'ewallet'],
];

export interface DashboardSeed {
  /** Newest broadcast of province 01: 3 sent, 1 blocked, 1 failed, 7 deliveries in all. */
  newestBroadcast01: Types.ObjectId;
  /** Newest broadcast of all, by an unscoped key. */
  unscopedBroadcast: Types.ObjectId;
}

/**
 * Everything the dashboard counts, written straight to the collections so
 * dates can lie in the past. Province 01: requests 2 submitted + 1 frozen
 * (+1 approved), 3 pending links, fraud 2 impersonation + 1 OTP this week
 * (+1 fake app 8 days ago), subscribers telegram 1 subscribed + 1 blocked and
 * zalo 1 subscribed; six broadcasts. Province 79 and no-province rows besides.
 */
export async function seedDashboard(db: Connection, now = Date.now()): Promise<DashboardSeed> {
  const people = await beneficiaryModel(db).insertMany(
    DASHBOARD_REGISTER.map(([provinceCode, districtCode, benefitType, kind], i) => ({
      bhxhCode: String(1_000_000_000 + i),
      fullName: `Người thử ${i}`,
      birthDate: '1950-01-01',
      gender: 'female',
      provinceCode,
      ...(districtCode ? { districtCode } : {}),
      benefitType,
      monthlyAmount: 3_000_000,
      paymentMethod: { kind },
    })),
  );
  const person = (i: number) => people[i]!._id;
  const past = (days: number) => new Date(now - days * DAY_MS);

  const request = (i: number, status: string, provinceCode: string) => ({
    reference: `YC-TEST${String(i).padStart(2, '0')}`,
    beneficiaryId: person(i),
    provinceCode,
    requestedBy: { channel: 'telegram', chatId: `r${i}`, role: 'self' },
    method: { kind: 'bank' },
    slot: `closed:${i}`,
    status,
    createdAt: past(1),
    updatedAt: past(1),
  });
  await db.collection('payment_method_requests').insertMany([
    request(1, 'submitted', '01'),
    request(2, 'submitted', '01'),
    request(5, 'frozen', '01'),
    request(6, 'approved', '01'),
    request(9, 'submitted', '79'),
  ]);

  const link = (channel: string, chatId: string, i: number, status: string, provinceCode: string) => ({
    channel,
    chatId,
    beneficiaryId: person(i),
    provinceCode,
    role: status === 'active' ? 'self' : 'authorised',
    status,
    consentVersion: 'v1',
    createdAt: past(1),
    updatedAt: past(1),
  });
  await db.collection('beneficiary_links').insertMany([
    link('telegram', 'p1', 0, 'pending', '01'),
    link('telegram', 'p2', 1, 'pending', '01'),
    link('zalo', 'p3', 2, 'pending', '01'),
    link('telegram', 'p4', 8, 'pending', '79'),
    link('telegram', 'p5', 3, 'rejected', '01'),
    // Chat t-sub acts for two people in 01: it counts once among 01's subscribers.
    link('telegram', 't-sub', 0, 'active', '01'),
    link('telegram', 't-sub', 4, 'active', '01'),
    link('telegram', 't-blocked', 5, 'active', '01'),
    link('zalo', 'z-sub', 6, 'active', '01'),
    link('zalo', 'z-79', 9, 'active', '79'),
    link('telegram', 't-revoked', 7, 'revoked', '01'),
  ]);
  const chat = (channel: string, chatId: string, subscribed: boolean, blocked: boolean) => ({
    channel,
    chatId,
    platformUserId: chatId,
    locale: 'vi',
    subscribed,
    blocked,
    firstSeenAt: past(1),
    lastSeenAt: past(1),
    consents: [],
  });
  await db.collection('chat_users').insertMany([
    chat('telegram', 't-sub', true, false),
    chat('telegram', 't-blocked', true, true),
    chat('telegram', 't-revoked', false, false),
    chat('zalo', 'z-sub', true, false),
    chat('zalo', 'z-79', true, false),
    chat('simulator', 's-none', true, false),
  ]);

  let caseNo = 0;
  const fraud = (category: string, provinceCode: string | null, daysAgo: number) => ({
    caseNumber: `LD-2026-${String(++caseNo).padStart(6, '0')}`,
    category,
    description: 'Gọi điện giả danh',
    moneyLost: false,
    photoRefs: [],
    severity: 'normal',
    status: 'new',
    notes: [],
    reporter: null,
    reporterLocale: 'vi',
    provinceCode,
    createdAt: past(daysAgo),
    updatedAt: past(daysAgo),
  });
  await db.collection('fraud_reports').insertMany([
    fraud('impersonation', '01', 1),
    fraud('impersonation', '01', 6.5),
    fraud('otp_request', '01', 2),
    // Older than the 7-day window.
    fraud('fake_app', '01', 8),
    fraud('other', '79', 1),
    fraud('paid_help', null, 3),
  ]);

  const newestBroadcast01 = new Types.ObjectId();
  const unscopedBroadcast = new Types.ObjectId();
  const broadcast = (_id: Types.ObjectId, title: string, ownerProvince: string | null, hoursAgo: number, status = 'done') => ({
    _id,
    title,
    content: { vi: { text: 'Thông báo' } },
    audience: { platforms: [], provinces: [], languages: [], linkedOnly: false, benefitTypes: [] },
    ownerProvince,
    status,
    sendAt: null,
    ignoreQuietHours: false,
    needsApproval: false,
    estimatedRecipients: 7,
    createdBy: 'k',
    // Only the newest has deliveries (seven, below); the worker records the total when queueing completes.
    queuedCount: _id === newestBroadcast01 ? 7 : 0,
    queueCursor: null,
    queueComplete: true,
    batchCount: 0,
    createdAt: new Date(now - hoursAgo * 3_600_000),
    updatedAt: new Date(now - hoursAgo * 3_600_000),
    // As the worker does: a broadcast has deliveries only once it has started.
    ...(status === 'sending' || status === 'done' ? { startedAt: new Date(now - hoursAgo * 3_600_000) } : {}),
  });
  await db.collection('broadcasts').insertMany([
    ...[10, 9, 8, 7, 6].map((hours) => broadcast(new Types.ObjectId(), `Tin cũ ${hours}`, '01', hours)),
    broadcast(newestBroadcast01, 'Cảnh báo lừa đảo', '01', 2, 'sending'),
    broadcast(unscopedBroadcast, 'Toàn quốc', null, 1, 'draft'),
  ]);
  const states = ['sent', 'sent', 'sent', 'blocked', 'failed', 'queued', 'skipped'];
  const rows = states.map((state, i) => ({ _id: new Types.ObjectId(), state, broadcastId: newestBroadcast01, channel: 'telegram', chatId: `d${i}` }));
  await db.collection('broadcast_deliveries').insertMany(rows.map(({ state: _, ...row }) => ({ ...row, batchNo: 0, locale: 'vi' })));
  // One attempt per row a send was tried for; an outcome per final row (src/broadcast/ledger.ts).
  const finals = rows.filter((r) => r.state !== 'queued');
  await db.collection('broadcast_attempts').insertMany(finals.map((r) => ({ _id: r._id, broadcastId: r.broadcastId, owner: 'seed', at: new Date(now) })));
  await db.collection('broadcast_outcomes').insertMany(
    finals.map(({ state, ...r }) => ({ ...r, state, attempted: true, owner: 'seed', tries: 1, finishedAt: new Date(now) })),
  );
  return { newestBroadcast01, unscopedBroadcast };
}
