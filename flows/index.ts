import type { ActionHandler, AnyFlow, Feature, MenuEntry } from '../src/engine/flow.js';
import { menuFlow } from './menu.js';
import { fraudTipsFlow, fraudTipsMenu } from './fraud-tips.js';
import { languageFlow, settingsFlow, settingsMenu } from './settings.js';
import { linkSelfFeature } from './link-self.js';
import { linkRelativeFeature } from './link-relative.js';
import { cashlessFeature } from './register-cashless.js';
import { paymentStatusFeature } from './payment-status.js';
import { reportFraudFeature } from './report-fraud.js';
import { myDataFeature } from './my-data.js';

const features: Feature[] = [
  { flows: [menuFlow] },
  linkSelfFeature,
  linkRelativeFeature,
  cashlessFeature,
  paymentStatusFeature,
  reportFraudFeature,
  { flows: [fraudTipsFlow], menu: [fraudTipsMenu] },
  myDataFeature,
  { flows: [settingsFlow, languageFlow], menu: [settingsMenu] },
];

/** Every conversation the bot knows. The engine refuses to start without "menu" and "settings". */
export const flows: AnyFlow[] = features.flatMap((f) => f.flows);

/** Main-menu entries, in display order. */
export const menuEntries: MenuEntry[] = features.flatMap((f) => f.menu ?? []).sort((a, b) => a.order - b.order);

/** Buttons in notifications, by action name. */
export const actions: Record<string, ActionHandler> = Object.assign({}, ...features.map((f) => f.actions ?? {}));
