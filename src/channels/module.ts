import type { Channel, ChannelRenderer } from '../messaging/channel.js';
import type { ChannelName } from '../messaging/types.js';
import type { ChannelContext } from './context.js';

/** One platform as the app knows it: what it renders, and how to build it from the configuration. */
export interface ChannelModule {
  readonly name: ChannelName;
  readonly renderer: ChannelRenderer;
  /** The running channel, or null when this deployment's configuration does not enable it. */
  create(ctx: ChannelContext): Channel | null;
}
