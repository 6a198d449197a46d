import { zaloInboxModel } from '../../db/models/zalo-inbox.js';
import { zaloTokenModel } from '../../db/models/zalo-token.js';
import { zaloTemplateModel } from '../../db/models/zalo-template.js';
import { zaloNoticeTemplateModel } from '../../db/models/zalo-notice-template.js';
import { zaloTemplatesAdminRoutes } from '../../http/admin/zalo-templates-routes.js';
import type { ChannelModule } from '../module.js';
import { ZaloBotChannel, ZALO_BOT_LIMITS } from './bot-channel.js';
import { previewBot, renderBot } from './bot-render.js';
import { ZaloOaChannel, ZALO_OA_LIMITS } from './oa-channel.js';
import { previewOa, renderOa } from './oa-render.js';

/** Zalo Official Account (OA API v3): on when the ZALO_APP_ID group of settings is complete. */
export const zaloOaModule: ChannelModule = {
  name: 'zalo',
  renderer: { name: 'zalo', limits: ZALO_OA_LIMITS, render: (_chatId, message) => renderOa(message), preview: previewOa },
  create: ({ config, connection, ...ctx }) =>
    config.zaloOa
      ? new ZaloOaChannel({
          ...ctx,
          config: config.zaloOa,
          inboxModel: zaloInboxModel(connection),
          tokenModel: zaloTokenModel(connection),
          templateModel: zaloTemplateModel(connection),
          noticeTemplateModel: zaloNoticeTemplateModel(connection),
        })
      : null,
  // Staff read and sync the OA's templates through the admin API.
  adminRoutes: (channel) => (channel instanceof ZaloOaChannel ? [zaloTemplatesAdminRoutes(channel.templates, channel.notices)] : []),
};

/** Zalo Bot Platform: on when ZALO_BOT_TOKEN is set. */
export const zaloBotModule: ChannelModule = {
  name: 'zalo-bot',
  renderer: {
    name: 'zalo-bot',
    limits: ZALO_BOT_LIMITS,
    render: (_chatId, message) => renderBot(message),
    preview: previewBot,
  },
  create: ({ config, ...ctx }) => (config.zaloBot ? new ZaloBotChannel({ ...ctx, config: config.zaloBot }) : null),
};
