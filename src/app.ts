import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import helmet from 'helmet';
import type { Connection } from 'mongoose';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { connectDatabase } from './db/connect.js';
import { processedInboundModel } from './db/models/processed-inbound.js';
import { domainModels } from './domain/deps.js';
import { createDomain, type Domain } from './domain/domain.js';
import { Notifier } from './domain/notifier.js';
import { Scheduler } from './jobs/scheduler.js';
import { broadcastSettings, channelPlatformSender, createBroadcasting, telegramPlatformSender } from './broadcast/index.js';
import { jobLeaseModel } from './db/models/job-lease.js';
import { claimModel } from './db/models/claim.js';
import { Claims } from './db/claims.js';
import { PiiCipher } from './security/pii-crypto.js';
import { ADMIN_BASE_PATH, createAdminRouter } from './http/admin/admin-router.js';
import { consoleRoutes } from './console/console-routes.js';
import { linksAdminRoutes } from './http/admin/links-routes.js';
import { requestsAdminRoutes } from './http/admin/requests-routes.js';
import { importsAdminRoutes } from './http/admin/imports-routes.js';
import { fraudAdminRoutes } from './http/admin/fraud-routes.js';
import { evidenceAdminRoutes } from './http/admin/evidence-routes.js';
import { createEvidencePhotos } from './domain/evidence-photos.js';
import { dashboardAdminRoutes } from './http/admin/dashboard-routes.js';
import { broadcastsAdminRoutes } from './http/admin/broadcasts-routes.js';
import { Translator, loadResources } from './i18n/i18n.js';
import { Engine } from './engine/engine.js';
import { ConversationStore } from './engine/conversation-store.js';
import { InboundLog } from './engine/inbound-log.js';
import type { FlowServices } from './engine/services.js';
import { Metrics } from './metrics.js';
import { opsRoutes } from './http/ops-routes.js';
import { errorHandler, notFound } from './http/errors.js';
import { TelegramChannel } from './channels/telegram/telegram-channel.js';
import { telegramWebhookRoute } from './channels/telegram/webhook-route.js';
import { SimulatorChannel } from './channels/simulator/simulator-channel.js';
import { createZaloChannels } from './channels/zalo/zalo-channels.js';
import { actions, flows, menuEntries } from '../flows/index.js';

export interface RunningApp {
  url: string;
  port: number;
  connection: Connection;
  engine: Engine;
  domain: Domain;
  notifier: Notifier;
  metrics: Metrics;
  telegram?: TelegramChannel;
  simulator?: SimulatorChannel;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Overrides config.port; 0 picks a free port (tests). */
  port?: number;
}

/** Builds and starts the whole app: database, engine, channels, HTTP. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const connection = await connectDatabase(config.mongodbUri, logger);
  const models = domainModels(connection);
  const processedInbound = processedInboundModel(connection);
  // The lease logic relies on the unique (channel, chatId) index existing before the first message.
  await Promise.all([...Object.values(models), processedInbound, jobLeaseModel(connection), claimModel(connection)].map((model) => model.init()));
  const claims = new Claims(claimModel(connection));

  const translator = await Translator.create(loadResources(), config.defaultLocale);
  const store = new ConversationStore(models.conversations, claims);
  // Called only when a notice is sent, after `domain` exists (it needs the notifier to be built).
  const notifier = new Notifier(translator, (chat) => domain.chatUsers.locale(chat), config.defaultLocale, logger, (chat, actions) =>
    store.rememberActions(chat, actions),
  );
  const cipher = PiiCipher.fromEnv(config.pii);
  const domain = createDomain({ connection, models, claims, cipher, notifier, config, logger, now: () => new Date() });
  const metrics = new Metrics();
  const services: FlowServices = {
    settings: { bhxhHotline: config.bhxhHotline },
    domain,
    payments: config.payments,
    menu: async () => menuEntries,
  };
  const engine = new Engine({
    flows,
    actions,
    translator,
    store,
    chatUsers: domain.chatUsers,
    services,
    defaultLocale: config.defaultLocale,
    idleMs: config.conversationIdleMs,
    logger,
    observe: ({ flow, seconds }) => metrics.stepSeconds.observe({ flow }, seconds),
  });
  const inboundLog = new InboundLog(processedInbound);
  const broadcasting = createBroadcasting({ connection, domain, logger, config: broadcastSettings(config.broadcast), senders: [] });
  const admin = createAdminRouter({
    connection,
    logger,
    bootstrapKey: config.adminBootstrapKey,
    attemptLimits: { maxFailures: config.adminAuthMaxFailures, windowMs: 10 * 60_000 },
    consoleIdleMs: config.consoleIdleMs,
    extraRoutes: [
      linksAdminRoutes(domain), requestsAdminRoutes(domain), importsAdminRoutes(domain), fraudAdminRoutes(domain), broadcastsAdminRoutes(broadcasting.service, broadcasting.templates, { config: broadcasting.config, platforms: () => broadcasting.platforms() }), dashboardAdminRoutes(config.cashlessTargets),
      // The Telegram channel is built below; a photo is fetched at request time, through it when it exists.
      evidenceAdminRoutes(domain, createEvidencePhotos(() => telegram?.bot.telegram)),
    ],
  });
  await admin.ready;

  let shuttingDown = false;
  const app = express();
  app.disable('x-powered-by');
  // Behind a load balancer, audit IPs and login limits need the client's address, not the balancer's.
  app.set('trust proxy', config.trustProxy);
  app.use(helmet());
  app.use(opsRoutes({ connection, metrics, metricsToken: config.metricsToken, isShuttingDown: () => shuttingDown }));
  app.use(ADMIN_BASE_PATH, admin.router);
  app.use(consoleRoutes({ ...admin.services, limiter: admin.limiter, logger, httpsOnly: config.publicUrl?.startsWith('https:') ?? false }));

  let telegram: TelegramChannel | undefined;
  if (config.telegram) {
    telegram = new TelegramChannel({
      token: config.telegram.token,
      apiRoot: config.telegram.apiRoot,
      engine,
      inboundLog,
      logger,
      metrics,
      onBlocked: async (chatId) => domain.chatUsers.markBlocked({ channel: 'telegram', chatId }),
    });
    notifier.register(telegram);
    if (config.telegram.mode === 'webhook' && config.telegram.webhookSecret) {
      app.use(telegramWebhookRoute(telegram, config.telegram.webhookSecret, logger));
    }
  }

  const zalo = createZaloChannels({ config, engine, inboundLog, connection, domain, logger, metrics });
  for (const sender of zalo.senders) notifier.register(sender);
  app.use(zalo.routes);

  let simulator: SimulatorChannel | undefined;
  if (config.simulatorEnabled) {
    simulator = new SimulatorChannel(engine, models.simulatorMessages, logger);
    notifier.register(simulator);
    app.use(simulator.routes());
  }

  // Broadcast deliveries go through the same platforms, as single paced attempts.
  if (telegram) broadcasting.addSender(telegramPlatformSender(telegram.bot.telegram));
  for (const sender of zalo.senders) broadcasting.addSender(channelPlatformSender(sender));
  if (simulator) broadcasting.addSender(channelPlatformSender(simulator));

  app.use(notFound);
  app.use(errorHandler(logger));

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? config.port, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  if (telegram && config.telegram?.mode === 'webhook' && config.publicUrl && config.telegram.webhookSecret) {
    await telegram.setWebhook(config.publicUrl, config.telegram.webhookSecret).catch((err: Error) => {
      logger.error({ event: 'telegram_webhook_failed', err: err.message }, 'setWebhook failed; updates will not arrive');
    });
  }
  if (telegram && config.telegram?.mode === 'polling') telegram.startPolling();
  await zalo.start(config.publicUrl);

  const scheduler = new Scheduler(
    claims,
    jobLeaseModel(connection),
    [
      { name: 'purge-claims', everyMs: 60 * 60_000, run: () => claims.purge() },
      { name: 'purge-processed-inbound', everyMs: 10 * 60_000, run: (now) => inboundLog.purgeExpired(now) },
      {
        name: 'apply-effective-payment-methods',
        everyMs: 60 * 60_000,
        run: async () => {
          const result = await domain.paymentMethods.applyEffective(null);
          // The most sensitive write there is: audited like the same action through the API.
          if (result.applied + result.skippedFrozen > 0) {
            await admin.services.audit.record({
              actor: { keyId: null, label: 'system:scheduler', role: 'system', province: null },
              action: 'payment_request.apply_effective',
              target: { type: 'payment_request', id: null },
              details: { ...result },
              ip: null,
              userAgent: null,
            });
          }
        },
      },
      { name: 'authorisation-reminders', everyMs: 24 * 3600_000, run: (now) => domain.links.remindExpiring(now) },
      { name: 'purge-identity-attempts', everyMs: 60 * 60_000, run: (now) => domain.identity.purgeOld(now) },
      { name: 'purge-console-sessions', everyMs: 60 * 60_000, run: (now) => admin.services.sessions.purgeExpired(now) },
      { name: 'fail-stalled-imports', everyMs: 10 * 60_000, run: (now) => domain.imports.failStalled(now) },
    ],
    logger,
  );
  if (config.jobsEnabled) scheduler.start();
  if (config.broadcast.workerEnabled) broadcasting.worker.start();

  logger.info({ event: 'started', port, telegram: config.telegram?.mode ?? 'off', simulator: config.simulatorEnabled }, 'app started');

  return {
    url,
    port,
    connection,
    engine,
    domain,
    notifier,
    metrics,
    telegram,
    simulator,
    async stop() {
      if (shuttingDown) return;
      shuttingDown = true;
      await scheduler.stop();
      await broadcasting.worker.stop();
      telegram?.stop();
      await zalo.stop();
      // Stop intake, let in-flight requests finish, then cut what is left after the grace period.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref());
      await Promise.race([closed, grace]);
      server.closeAllConnections();
      await connection.close();
      logger.info({ event: 'stopped' }, 'app stopped');
    },
  };
}
