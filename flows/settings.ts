import { defineFlow, m, toMenu, say, type MenuEntry } from '../src/engine/flow.js';
import type { Locale } from '../src/engine/types.js';

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
      choices: () => LANGUAGES.map((lng) => ({ id: `lang-${lng}`, label: m(`settings.language.${lng}`) })),
      handle: async (input, ctx) => {
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
