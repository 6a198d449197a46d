import { listPage } from './broadcasts/list.js';
import { composerPage } from './broadcasts/composer.js';
import { detailPage } from './broadcasts/detail.js';

/**
 * Broadcasts: the list (#/broadcasts), the composer (#/broadcasts/new) and one
 * broadcast with its approval step, live progress and final report
 * (#/broadcasts/<id>). The API enforces every rule; this page hides what the
 * role may not do and explains what the server will answer.
 */

const CSS = '/console/assets/pages/broadcasts.css';

/** @param {import('../lib/types.js').PageContext} ctx */
export async function mount(ctx) {
  ctx.root.append(ctx.h('link', { rel: 'stylesheet', href: CSS }));
  const [first] = ctx.params;
  if (!first) return listPage(ctx);
  if (first === 'new') return composerPage(ctx);
  return detailPage(ctx, first);
}
