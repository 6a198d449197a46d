import { z } from 'zod';
import { limitsFor, type BroadcastConfig } from '../../broadcast/config.js';
import { contentProblems } from '../../broadcast/links.js';
import { messageFor } from '../../broadcast/message.js';
import type { BroadcastService } from '../../broadcast/service.js';
import { previewOf, type ChannelLimits, type ChannelRenderer, type ChannelSender } from '../../messaging/channel.js';
import type { ChannelName } from '../../vocabulary/channels.js';
import type { AdminApi } from './route-module.js';
import { audience, estimateView, LIMITS, previewBody, previewView, settingsView } from './broadcast-schemas.js';

/** What the settings and preview routes read: the configuration, the channels running here, and every channel's renderer. */
export interface BroadcastSettingsSource {
  config: BroadcastConfig;
  platforms: readonly ChannelSender[];
  renderers: readonly ChannelRenderer[];
}

/** A renderer's limits by channel name; the settings answer keeps its older flat keys for the console. */
function limitsOf(renderers: readonly ChannelRenderer[], name: ChannelName): ChannelLimits | undefined {
  return renderers.find((r) => r.name === name)?.limits;
}

/** What staff see while writing a notice: the rules and limits, a preview on every platform, the audience's size. */
export function registerDraftingRoutes(api: AdminApi, broadcast: BroadcastService, settings: BroadcastSettingsSource): void {
  api.read(
    {
      path: '/broadcasts/settings',
      summary: 'Rules and limits a broadcast is written under',
      roles: ['broadcaster', 'viewer'],
      response: {
        description: 'Approval threshold, allowed link domains, quiet hours, the platforms this deployment sends to (with the bot name recipients see) and the text limits of each',
        schema: settingsView,
      },
    },
    async () => {
      const { config } = settings;
      const platforms = await Promise.all(
        settings.platforms.map(async (p) => ({
          id: p.name,
          name: (await p.displayName?.()) ?? null,
          ratePerSecond: limitsFor(config, p.name, p.limits).ratePerSecond,
        })),
      );
      const { renderers } = settings;
      const text = (name: ChannelName) => limitsOf(renderers, name)?.text ?? 0;
      return {
        approvalThreshold: config.approvalThreshold,
        costApprovalVnd: config.costApprovalVnd,
        allowedLinkDomains: config.allowedLinkDomains,
        quietHours: config.quietHours,
        platformNights: Object.fromEntries(renderers.flatMap((r) => (r.limits.night ? [[r.name, r.limits.night]] : []))),
        timeZone: config.timeZone,
        platforms,
        limits: {
          ...LIMITS,
          telegramText: text('telegram'),
          telegramCaption: limitsOf(renderers, 'telegram')?.caption ?? 0,
          zaloText: text('zalo'),
          zaloButtonTitle: limitsOf(renderers, 'zalo')?.buttonTitle ?? 0,
          zaloBotText: text('zalo-bot'),
        },
        channelLimits: Object.fromEntries(
          renderers.map(({ name, limits }) => [name, { text: limits.text, caption: limits.caption, buttons: limits.buttons, buttonTitle: limits.buttonTitle }]),
        ),
      };
    },
  );
  api.compute(
    {
      path: '/broadcasts/preview',
      summary: 'How a draft notice will look on each platform',
      description:
        "Renders the draft through each channel's own renderer (the one the sender uses), so the preview splits long texts, moves a long button label into the text and sends a photo apart exactly as the platform will. Drafts may be incomplete; `problems` lists what the create route would refuse about the links.",
      roles: ['broadcaster', 'viewer'],
      body: previewBody,
      response: { description: 'One list of chat bubbles per platform, and the problems found', schema: previewView },
    },
    async ({ body }) => {
      const message = messageFor({ content: body.content, imageUrl: body.imageUrl ?? undefined, linkUrl: body.linkUrl ?? undefined }, body.locale);
      const running = new Map(settings.platforms.map((p) => [p.name, p]));
      const channels = await Promise.all(
        settings.renderers.map(async (renderer) => ({
          channel: renderer.name,
          enabled: running.has(renderer.name),
          displayName: (await running.get(renderer.name)?.displayName?.()) ?? null,
          bubbles: message.text.trim() === '' && !message.photo ? [] : previewOf(renderer, message),
        })),
      );
      return { locale: body.locale, channels, problems: contentProblems(body, settings.config.allowedLinkDomains) };
    },
  );
  api.write(
    {
      method: 'post',
      path: '/broadcasts/estimate',
      summary: 'Estimate the audience of a filter, its Zalo template cost and the days its quota takes',
      roles: ['broadcaster'],
      body: z.strictObject({ audience }),
      response: {
        status: 200,
        description:
          'Recipients the filter reaches now, by route (a free message; a Zalo template by user id beyond the 7-day window; a Zalo template by the register\'s phone for people without a chat), what the template messages cost, today\'s Zalo quota and the days the send takes within it, and whether a second admin must approve',
        schema: estimateView,
      },
      audit: { action: 'broadcast.estimate', targetType: 'broadcast' },
    },
    async ({ body, staff }) => {
      const filter = { ...body.audience };
      if (staff.province !== null) filter.provinces = [staff.province];
      const estimate = await broadcast.estimateAll(filter);
      return {
        body: estimate,
        audit: { targetId: null, details: { recipients: estimate.recipients, zaloTemplate: estimate.routes.zaloTemplate, zaloPhone: estimate.routes.zaloPhone, cost: estimate.cost } },
      };
    },
  );
}
