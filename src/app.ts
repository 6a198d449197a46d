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
import { appJobs } from './jobs/app-jobs.js';
import { broadcastSettings, createBroadcasting } from './broadcast/index.js';
import { DeliveryReceipts } from './broadcast/receipts.js';
import { deliveryReceiptModel } from './db/models/delivery-receipt.js';
import { jobLeaseModel } from './db/models/job-lease.js';
import { claimModel } from './db/models/claim.js';
import { Claims } from './db/claims.js';
import { PiiCipher } from './security/pii-crypto.js';
import { ADMIN_BASE_PATH, createAdminRouter } from './http/admin/admin-router.js';
import type { AdminRouteModule } from './http/admin/route-module.js';
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
import { CHANNEL_MODULES } from './channels/registry.js';
import type { ChatReach } from './channels/context.js';
import { telegramFiles } from './channels/telegram/module.js';
import { ChatUserService } from './domain/chat-users.js';
import type { Channel } from './messaging/channel.js';
import type { ChannelName } from './messaging/types.js';
import { actions, flows, menuEntries } from '../flows/index.js';

export interface RunningApp {
  url: string;
  port: number;
  connection: Connection;
  engine: Engine;
  domain: Domain;
  notifier: Notifier;
  metrics: Metrics;
  /** The channels this configuration runs, by name. */
  channels: ReadonlyMap<ChannelName, Channel>;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Overrides config.port; 0 picks a free port (tests). */
  port?: number;
}

/**
 * The composition root: builds the whole app in dependency order (storage,
 * domain, engine, channels, broadcasts, HTTP, jobs), then starts it. Nothing is
 * used before it is built; the one late binding is the notifier's list of
 * channels, which exist only once the engine they feed does.
 */
export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = () => new Date();

  // Storage. The lease logic relies on unique indexes existing before the first message.
  const connection = await connectDatabase(config.mongodbUri, logger);
  const models = domainModels(connection);
  const processedInbound = processedInboundModel(connection);
  await Promise.all([...Object.values(models), processedInbound, jobLeaseModel(connection), claimModel(connection)].map((model) => model.init()));
  const claims = new Claims(claimModel(connection));
  const inboundLog = new InboundLog(processedInbound);
  const metrics = new Metrics();

  // Domain. Notices go out in the chat's own language, through the channels registered below.
  const translator = await Translator.create(loadResources(), config.defaultLocale);
  const store = new ConversationStore(models.conversations, claims);
  const chatUsers = new ChatUserService(models.chatUsers);
  const notifier = new Notifier(
    translator,
    (chat) => chatUsers.locale(chat),
    config.defaultLocale,
    logger,
    (chat, actions) => store.rememberActions(chat, actions),
    (chat) => chatUsers.markBlocked(chat),
  );
  const domain = createDomain({ connection, models, claims, cipher: PiiCipher.fromEnv(config.pii), notifier, config, logger, now });

  // Conversations.
  // Photos are fetched from the platform each time: for staff (evidence) and for a chat's VietQR photo.
  const photoFiles = telegramFiles(config.telegram);
  const photos = createEvidencePhotos(() => photoFiles);
  const services: FlowServices = { settings: { bhxhHotline: config.bhxhHotline }, domain, payments: config.payments, photos, menu: async () => menuEntries };
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

  // Channels: every platform this configuration enables, from the registry. They report delivery receipts for broadcasts.
  const receipts = new DeliveryReceipts(deliveryReceiptModel(connection));
  await receipts.init();
  const reach: ChatReach = {
    markBlocked: (chat) => domain.chatUsers.markBlocked(chat),
    setSubscribed: (chat, subscribed) => domain.chatUsers.setSubscribed(chat, subscribed),
  };
  const channels = new Map<ChannelName, Channel>();
  const channelAdminRoutes: AdminRouteModule[] = [];
  for (const module of CHANNEL_MODULES) {
    const channel = module.create({ config, engine, inboundLog, connection, claims, logger, metrics, reach, delivered: (id, at) => receipts.record(id, at), phoneOf: (chat) => domain.noticePhones.forChat(chat) });
    if (!channel) continue;
    channels.set(channel.name, channel);
    channelAdminRoutes.push(...(module.adminRoutes?.(channel) ?? []));
  }
  for (const channel of channels.values()) notifier.register(channel);

  // Broadcasts: the worker paces calls to the channels' senders.
  const broadcasting = createBroadcasting({ connection, domain, logger, config: broadcastSettings(config.broadcast), senders: [...channels.values()], receipts });

  // Staff API and console.
  const admin = createAdminRouter({
    connection,
    logger,
    bootstrapKey: config.adminBootstrapKey,
    attemptLimits: { maxFailures: config.adminAuthMaxFailures, windowMs: 10 * 60_000 },
    consoleIdleMs: config.consoleIdleMs,
    extraRoutes: [
      linksAdminRoutes(domain),
      requestsAdminRoutes(domain),
      importsAdminRoutes(domain),
      fraudAdminRoutes(domain),
      broadcastsAdminRoutes(broadcasting.service, broadcasting.templates, {
        config: broadcasting.config,
        platforms: broadcasting.platforms,
        renderers: CHANNEL_MODULES.map((m) => m.renderer),
      }),
      dashboardAdminRoutes(config.cashlessTargets),
      evidenceAdminRoutes(domain, photos),
      ...channelAdminRoutes,
    ],
  });
  await admin.ready;

  // HTTP.
  let shuttingDown = false;
  const app = express();
  app.disable('x-powered-by');
  // Behind a load balancer, audit IPs and login limits need the client's address, not the balancer's.
  app.set('trust proxy', config.trustProxy);
  app.use(helmet());
  app.use(opsRoutes({ connection, metrics, metricsToken: config.metricsToken, isShuttingDown: () => shuttingDown }));
  app.use(ADMIN_BASE_PATH, admin.router);
  app.use(consoleRoutes({ ...admin.services, limiter: admin.limiter, logger, httpsOnly: config.publicUrl?.startsWith('https:') ?? false }));
  for (const channel of channels.values()) {
    const routes = channel.routes();
    if (routes) app.use(routes);
  }
  app.use(notFound);
  app.use(errorHandler(logger));

  const server: Server = await new Promise((resolve, reject) => {
    // Express 5 hands a failed listen (a port in use) to this callback instead of throwing.
    const s = app.listen(options.port ?? config.port, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  // Webhooks are registered once the server listens; a failure is logged by the channel.
  for (const channel of channels.values()) await channel.start(config.publicUrl);

  const scheduler = new Scheduler(claims, jobLeaseModel(connection), appJobs({ claims, inboundLog, domain, audit: admin.services.audit, sessions: admin.services.sessions }), logger);
  if (config.jobsEnabled) scheduler.start();
  if (config.broadcast.workerEnabled) broadcasting.worker.start();

  logger.info({ event: 'started', port, channels: [...channels.keys()], telegram: config.telegram?.mode ?? 'off' }, 'app started');

  return {
    url,
    port,
    connection,
    engine,
    domain,
    notifier,
    metrics,
    channels,
    async stop() {
      if (shuttingDown) return;
      shuttingDown = true;
      await scheduler.stop();
      await broadcasting.worker.stop();
      for (const channel of channels.values()) await channel.stop();
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
