/**
 * Fraud cases: a filtered, paged list (filters live in the address, so "back"
 * and a shared link keep them) and one case with its evidence photos, status
 * and staff notes. The server decides what a key may do; this page only
 * hides what would be refused.
 */
import { caseListPage } from './fraud/case-list.js';
import { casePage } from './fraud/case-page.js';

/** @param {import('../lib/types.js').PageContext} ctx */
export async function mount(ctx) {
  ctx.root.append(ctx.h('link', { rel: 'stylesheet', href: '/console/assets/pages/fraud.css' }));
  if (ctx.params[0]) await casePage(ctx, ctx.params[0]);
  else await caseListPage(ctx);
}
