/**
 * Imports: upload the beneficiary register or a monthly payment ledger
 * (`#/imports`), then follow one import to its end and read its refused rows
 * (`#/imports/<id>`). The API is documented in docs/imports.md; the columns
 * come from the server's row parsers (GET /imports/columns).
 *
 * @typedef {import('../lib/types.js').PageContext} PageContext
 * @typedef {import('../lib/api-types.js').ImportColumns} ImportColumns
 */
import { pageHeader } from '../lib/ui.js';
import { importJobPage } from './imports/import-job.js';
import { recentImports } from './imports/recent-imports.js';
import { uploadForm } from './imports/upload-form.js';

/** @param {PageContext} ctx */
export async function mount(ctx) {
  ctx.root.append(ctx.h('link', { rel: 'stylesheet', href: '/console/assets/pages/imports.css' }));
  const id = ctx.params[0];
  if (id) await importJobPage(ctx, id);
  else await mountHome(ctx);
}

/** Words of the imports page. @param {PageContext} ctx @param {string} key */
const tr = (ctx, key) => ctx.t(`consoleImports.${key}`);

/** @param {PageContext} ctx */
async function mountHome(ctx) {
  const { h } = ctx;
  ctx.root.append(pageHeader(ctx, tr(ctx, 'title')));
  if (!ctx.may('postImportsBeneficiaries')) {
    ctx.root.append(h('p', { class: 'card imports-note' }, tr(ctx, 'notAllowed')));
    return;
  }
  const loaded = await ctx.api.get('/imports/columns').then(
    (columns) => ({ columns: /** @type {ImportColumns} */ (columns) }),
    (error) => ({ error }),
  );
  ctx.root.append(uploadForm(ctx, loaded), recentImports(ctx));
}
