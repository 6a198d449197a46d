import type { AnyFlow, MenuEntry } from '../src/engine/flow.js';
import { menuFlow } from './menu.js';
import { fraudTipsFlow, fraudTipsMenu } from './fraud-tips.js';
import { settingsFlow, settingsMenu } from './settings.js';

/** Every conversation the bot knows. The engine refuses to start without "menu" and "settings". */
export const flows: AnyFlow[] = [menuFlow, fraudTipsFlow, settingsFlow];

/** Main-menu entries, in display order. */
export const menuEntries: MenuEntry[] = [fraudTipsMenu, settingsMenu].sort((a, b) => a.order - b.order);
