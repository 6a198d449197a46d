import { defineFlow, m, next, say, type MenuEntry } from '../src/engine/flow.js';

const TOPICS = ['calls', 'links', 'otp', 'fees', 'victim'] as const;
type Topic = (typeof TOPICS)[number];

/** Anti-fraud advice drawn from the scams pensioners actually meet (see the domain brief). */
export const fraudTipsFlow = defineFlow<{ seen: Topic[] }>({
  id: 'fraud-tips',
  version: 1,
  start: 'topics',
  initial: () => ({ seen: [] }),
  steps: {
    topics: {
      prompt: (ctx) => ({
        text: ctx.data.seen.length === 0 ? [m('fraudTips.intro'), m('fraudTips.pickTopic')] : [m('fraudTips.more')],
      }),
      choices: () => TOPICS.map((topic) => ({ id: topic, label: m(`fraudTips.topic.${topic}`) })),
      handle: (input, ctx) => {
        const topic = TOPICS.find((t) => input.type === 'choice' && input.id === t)!;
        const hotline = ctx.services.settings.bhxhHotline;
        const seen = ctx.data.seen.includes(topic) ? ctx.data.seen : [...ctx.data.seen, topic];
        return next('topics', { seen }, say(m(`fraudTips.tip.${topic}`, { hotline })));
      },
    },
  },
});

export const fraudTipsMenu: MenuEntry = {
  flow: 'fraud-tips',
  label: m('menu.item.fraudTips'),
  aliases: ['lua dao', 'canh bao', 'scam', 'fraud'],
  order: 80,
};
