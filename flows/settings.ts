import { defineFlow, m, toMenu, say, type MenuEntry, type StepContext } from '../src/engine/flow.js';
import type { Choice, Locale } from '../src/messaging/types.js';

const LANGUAGES: Locale[] = ['vi', 'en'];

const languageChoices = (): Choice[] => LANGUAGES.map((lng) => ({ id: `lang-${lng}`, label: m(`settings.language.${lng}`) }));

async function chooseLanguage(id: string, ctx: StepContext<Record<string, never>>) {
  const locale = LANGUAGES.find((lng) => id === `lang-${lng}`)!;
  await ctx.setLocale(locale);
  return toMenu<Record<string, never>>(say(m('settings.languageChanged')));
}

/** The language question ("ngôn ngữ"): languages only, nothing else among its options. */
export const languageFlow = defineFlow<Record<string, never>>({
  id: 'language',
  version: 1,
  start: 'main',
  initial: () => ({}),
  steps: {
    main: {
      prompt: () => ({ text: [m('settings.prompt')] }),
      choices: languageChoices,
      handle: (input, ctx) => chooseLanguage(input.type === 'choice' ? input.id : '', ctx),
    },
  },
});

/** Personal settings from the menu: the language, and notices stopped or resumed. The choice persists per chat. */
export const settingsFlow = defineFlow<Record<string, never>>({
  id: 'settings',
  version: 1,
  start: 'main',
  initial: () => ({}),
  steps: {
    main: {
      prompt: () => ({ text: [m('settings.menuPrompt')] }),
      choices: async (ctx) => [
        ...languageChoices(),
        // Notices (anti-fraud warnings above all) can be stopped and resumed here, as with "Dừng nhận tin".
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
        return chooseLanguage(input.type === 'choice' ? input.id : '', ctx);
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
