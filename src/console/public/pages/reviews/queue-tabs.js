import { QUEUES } from './queues.js';

/**
 * The two queues as tabs, each with the number waiting in it.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('./queues.js').QueueName} QueueName
 */

/** @param {PageContext} ctx @param {QueueName} queue the one shown */
export function queueTabs(ctx, queue) {
  const { h, fmt } = ctx;
  /** @param {string} key */
  const tr = (key) => ctx.t(`consoleReviews.${key}`);
  const links = new Map(
    QUEUES.map((name) => [
      name,
      h('a', { href: `#/reviews/${name}`, 'aria-current': name === queue ? 'page' : null, 'data-testid': `tab-${name}` }, tr(`tab.${name}`)),
    ]),
  );
  const el = h('nav', { class: 'review-tabs', 'aria-label': tr('queueLabel') }, h('ul', null, QUEUES.map((name) => h('li', null, links.get(name)))));
  return {
    el,
    /** @param {QueueName} name @param {{ n: number, capped: boolean }} count */
    showCount(name, count) {
      const link = links.get(name);
      if (!link) return;
      link.querySelector('.badge')?.remove();
      link.append(' ', h('span', { class: count.n > 0 ? 'badge badge-pending' : 'badge' }, count.capped ? `${fmt.number(count.n)}+` : fmt.number(count.n)));
    },
  };
}
