import { defineFlow, m, toMenu, say, type MenuEntry } from '../src/engine/flow.js';
import type { Locale } from '../src/messaging/types.js';

const LANGUAGES: Locale[] = ['vi', 'en'];

/** Language (and, as features arrive, other personal settings). The choice persists per chat. */
export const settingsFlow = defineFlow<Record<string, never>>({
  id: 'settings',
  version: 1,
  start: 'main',
  initial: () => ({}),
  steps: {
    main: {
      prompt: () => ({ text: [m('settings.prompt')] }),
      choices: async (ctx) => [
        ...LANGUAGES.map((lng) => ({ id: `lang-${lng}`, label: m(`settings.language.${lng}`) })),
        // Notices (anti-fraud warnings above all) can be stopped and resumed here, as with "Dừng nhận tin" and /start.
        (await ctx.services.domain.chatUsers.isSubscribed(ctx.chat))
          ? { id: 'notices-off', label: m('broadcast.stopLabel') }
          : { id: 'notices-on', label: m('settings.noticesOn') },
      ],
      handle: async (input, ctx) => {
        if (input.type === 'choice' && input.id.startsWith('notices-')) {
          const on = input.id === 'notices-on';
          await ctx.services.domain.chatUsers.setSubscribed(ctx.chat, on);
          return toMenu(say(m(on ? 'broadcast.resubscribed' : 'broadcast.unsubscribed')));
        }
        const locale = LANGUAGES.find((lng) => input.type === 'choice' && input.id === `lang-${lng}`)!;
        await ctx.setLocale(locale);
        return toMenu(say(m('settings.languageChanged')));
      },
    },
  },
});

export const settingsMenu: MenuEntry = {
  flow: 'settings',
  label: m('menu.item.settings'),
  aliases: ['cai dat', 'ngon ngu', 'settings', 'language'],
  order: 90,
};
