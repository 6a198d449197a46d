import type { Channel, ChannelRenderer } from '../messaging/channel.js';
import type { ChannelName } from '../messaging/types.js';
import type { ChannelContext } from './context.js';
import type { AdminRouteModule } from '../http/admin/route-module.js';

/** One platform as the app knows it: what it renders, and how to build it from the configuration. */
export interface ChannelModule {
  readonly name: ChannelName;
  readonly renderer: ChannelRenderer;
  /** The running channel, or null when this deployment's configuration does not enable it. */
  create(ctx: ChannelContext): Channel | null;
  /** Admin API routes of what only this platform has (Zalo's templates), given the running channel. */
  adminRoutes?(channel: Channel): AdminRouteModule[];
}
