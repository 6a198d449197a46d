import { DeliveryReceipts } from '../../broadcast/receipts.js';
import { deliveryReceiptModel } from '../../db/models/delivery-receipt.js';
import { deliveryCounts } from '../../broadcast/ledger.js';
import { deliveryModel } from '../../db/models/delivery.js';
import { deliveryAttemptModel } from '../../db/models/delivery-attempt.js';
import { deliveryOutcomeModel } from '../../db/models/delivery-outcome.js';
import { z } from 'zod';
import { BENEFIT_TYPES } from '../../db/models/beneficiary.js';
import { BROADCAST_STATUSES } from '../../db/models/broadcast.js';
import { FRAUD_CATEGORIES } from '../../db/models/fraud-report.js';
import { DashboardService, dashboardModels, FRAUD_WINDOW_DAYS, RECENT_BROADCASTS, type CashlessTargets } from '../../domain/dashboard.js';
import type { AdminRouteModule } from './route-module.js';
import { isoDate, provinceCode } from './validate.js';

const ratio = z.number().min(0).max(1);
const adoptionFigure = z.object({
  total: z.number().int().describe('Beneficiaries counted'),
  cashless: z.number().int().describe('Of them, paid by bank account or e-wallet'),
  rate: ratio.nullable().describe('cashless ÷ total (0–1); null when total is 0'),
  target: ratio.nullable().describe('Configured target (CASHLESS_TARGETS) as a ratio 0–1; null when none is configured'),
});

const dashboardView = z.object({
  province: z.string().nullable().describe('Province the figures are for; null = every province'),
  generatedAt: isoDate,
  provinces: z
    .array(z.object({ code: z.string(), name: z.string().nullable() }))
    .describe('Provinces in the register (for an unscoped key to choose from); only the chosen one otherwise'),
  adoption: z.object({
    overall: adoptionFigure,
    byProvince: z.array(adoptionFigure.extend({ code: z.string() })),
    byDistrict: z.array(adoptionFigure.extend({ code: z.string().nullable().describe('null: no district in the register') })).describe('Compared with the overall target'),
    byBenefitType: z.array(adoptionFigure.extend({ benefitType: z.enum(BENEFIT_TYPES) })),
  }),
  pending: z.object({
    requests: z.number().int().describe('Payment-method requests waiting for a decision'),
    requestsFrozen: z.number().int().describe('Requests frozen by "this was not me"'),
    links: z.number().int().describe("Relatives' links waiting for review"),
  }),
  fraud: z.object({
    since: isoDate,
    total: z.number().int(),
    byCategory: z.array(z.object({ category: z.enum(FRAUD_CATEGORIES), count: z.number().int() })).describe('Every category, zeros included'),
  }),
  broadcasts: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        status: z.enum(BROADCAST_STATUSES),
        createdAt: isoDate,
        reach: z.object({
          sent: z.number().int(),
          blocked: z.number().int(),
          failed: z.number().int(),
          total: z.number().int().describe('Recipients queued so far, whatever their state'),
        }),
        templates: z
          .object({ sent: z.number().int(), delivered: z.number().int() })
          .describe('Of the sent, Zalo template messages (beyond the 7-day window, by user id or phone), and how many Zalo reported delivered'),
      }),
    )
    .describe(`The ${RECENT_BROADCASTS} most recent, newest first`),
  subscribers: z.array(
    z.object({
      platform: z.string(),
      subscribed: z.number().int().describe('Receive notices'),
      blocked: z.number().int().describe('Blocked the bot'),
      unsubscribed: z.number().int().describe('Asked to stop notices'),
      total: z.number().int(),
    }),
  ),
});

const dashboardQuery = z.strictObject({
  province: provinceCode.optional().describe('Only this province; a province-scoped key always gets its own (another one answers 403)'),
});

/** The staff console's front page: cashless adoption against targets, queues, fraud, broadcasts, subscribers. */
export const dashboardAdminRoutes = (targets: CashlessTargets): AdminRouteModule => ({
  tag: { name: 'Dashboard', description: 'Figures for the front page of the staff console, for one province or every province.' },
  register(api, ctx) {
    const ledger = { deliveries: deliveryModel(ctx.connection), attempts: deliveryAttemptModel(ctx.connection), outcomes: deliveryOutcomeModel(ctx.connection) };
    const receipts = new DeliveryReceipts(deliveryReceiptModel(ctx.connection));
    const dashboard = new DashboardService(
      dashboardModels(ctx.connection),
      targets,
      (broadcast) => deliveryCounts(ledger, broadcast),
      async (broadcastId) => {
        const routes = Object.values(await receipts.byRoute(ledger.outcomes, broadcastId));
        return { sent: routes.reduce((n, r) => n + r.sent, 0), delivered: routes.reduce((n, r) => n + r.delivered, 0) };
      },
    );
    api.read(
      {
        path: '/dashboard',
        summary: 'Cashless adoption, queues, fraud, broadcasts and subscribers at a glance',
        description: `Cashless adoption (bank account or e-wallet ÷ all beneficiaries) overall, by district and by benefit type, each with its target; pending requests and relatives' links; fraud cases of the last ${FRAUD_WINDOW_DAYS} days by category; the ${RECENT_BROADCASTS} latest broadcasts with their reach; chats per platform. With a province, subscribers are the chats with an active link to one of its beneficiaries.`,
        roles: ['reviewer', 'broadcaster', 'viewer'],
        query: dashboardQuery,
        response: { description: 'The figures', schema: dashboardView },
      },
      async ({ query, scope }) => dashboard.summary(scope(query.province)),
    );
  },
});
