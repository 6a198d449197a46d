import type { ChannelModule } from './module.js';
import { telegramModule } from './telegram/module.js';
import { zaloBotModule, zaloOaModule } from './zalo/module.js';
import { simulatorModule } from './simulator/module.js';

/**
 * Every platform the app can talk on. Adding one is a folder under src/channels
 * with a module, plus its line here (and its name in ChannelName): the app,
 * notices, broadcasts and the console's preview find it through this list.
 */
export const CHANNEL_MODULES: readonly ChannelModule[] = [telegramModule, zaloOaModule, zaloBotModule, simulatorModule];
