import { defineFlow, m, retry, startFlow } from '../src/engine/flow.js';

/** The main menu: one button per feature that exists for this chat. */
export const menuFlow = defineFlow<Record<string, never>>({
  id: 'menu',
  version: 1,
  start: 'main',
  initial: () => ({}),
  steps: {
    main: {
      prompt: () => ({ text: [m('menu.prompt')] }),
      choices: async (ctx) =>
        (await ctx.services.menu(ctx.chat, ctx.locale)).map((entry) => ({
          id: entry.flow,
          label: entry.label,
          aliases: entry.aliases,
        })),
      handle: async (input, ctx) => {
        if (input.type !== 'choice') return retry(m('engine.notUnderstood'));
        const entries = await ctx.services.menu(ctx.chat, ctx.locale);
        return entries.some((e) => e.flow === input.id) ? startFlow(input.id) : retry(m('engine.notUnderstood'));
      },
    },
  },
});
