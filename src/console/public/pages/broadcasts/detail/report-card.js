import { fill } from '../../../lib/dom.js';

/**
 * The final report of a finished (or cancelled) broadcast: recipients per
 * final state, failures and skips per reason, first and last send, rate.
 *
 * @typedef {import('../../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../../lib/api-types.js').BroadcastReport} BroadcastReport
 */

/** Reasons with their own words in the locale files; others are shown by code. */
const KNOWN_REASONS = [
  'outside_window', 'bad_request', 'network', 'rate_limited', 'no_channel', 'send_failed', 'zalo_token', 'unsubscribed', 'cancelled', 'unknown',
  'no_template', 'not_on_zalo', 'no_phone_in_register', 'phone_not_vietnamese', 'blocked',
  'template_unknown', 'template_not_approved', 'template_disabled', 'template_gone', 'template_pending_review', 'template_reject',
];

/** A template parameter's problem, in words. */
const PARAM_REASONS = {
  missing: 'consoleBroadcasts.reasons.param_missing',
  too_long: 'consoleBroadcasts.reasons.param_too_long',
  too_short: 'consoleBroadcasts.reasons.param_too_short',
  unknown: 'consoleBroadcasts.reasons.param_unknown',
};

/** @param {PageContext} ctx @param {string} code */
function reasonLabel(ctx, code) {
  const t = ctx.t;
  if (KNOWN_REASONS.includes(code)) return t(`consoleBroadcasts.reasons.${code}`);
  const http = /^http_(\d+)$/.exec(code);
  if (http) return t('consoleBroadcasts.reasons.http', { code: http[1] });
  // A value too long (or missing) for a template parameter: the parameter is named.
  const param = /^template_param_(missing|too_long|too_short|unknown):(.+)$/.exec(code);
  if (param) return t(PARAM_REASONS[/** @type {keyof typeof PARAM_REASONS} */ (param[1])], { param: param[2] });
  const zalo = /^(?:template_)?zalo_(-?\d+)$/.exec(code);
  if (zalo) return t('consoleBroadcasts.reasons.zalo', { code: zalo[1] });
  return t('consoleBroadcasts.reasons.other', { code });
}

/** @param {PageContext} ctx @param {string} path the broadcast's API path */
export function reportCard(ctx, path) {
  const { h, t } = ctx;
  const el = h('section', { class: 'card', hidden: true, 'aria-labelledby': 'bc-report-title', 'data-testid': 'report' });
  let loaded = false;
  /** The report request under way, so polls and actions arriving meanwhile do not ask again. @type {Promise<void> | null} */
  let loading = null;

  /** @param {BroadcastReport} r */
  function draw(r) {
    /** @param {string} captionKey @param {Record<string, number>} reasons */
    const reasonTable = (captionKey, reasons) => {
      const entries = Object.entries(reasons);
      if (entries.length === 0) return null;
      return h('table', { class: 'data bc-reasons' },
        h('caption', null, t(captionKey)),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('consoleBroadcasts.report.colReason')), h('th', { scope: 'col', class: 'num' }, t('consoleBroadcasts.report.colCount')))),
        h('tbody', null, entries.map(([code, n]) => h('tr', { 'data-reason': code }, h('td', null, reasonLabel(ctx, code)), h('td', { class: 'num' }, ctx.fmt.number(n))))),
      );
    };
    /** Sent and delivered per route, when more than the free message was used (Zalo templates report delivery). @param {BroadcastReport} report */
    const routeTable = (report) => {
      const routes = Object.keys(report.sentByRoute);
      if (routes.length === 0 || (routes.length === 1 && routes[0] === 'message')) return null;
      return h('table', { class: 'data bc-reasons', 'data-testid': 'report-routes' },
        h('caption', null, t('consoleBroadcasts.report.routes')),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('consoleBroadcasts.report.colRoute')), h('th', { scope: 'col', class: 'num' }, t('consoleBroadcasts.report.colSent')), h('th', { scope: 'col', class: 'num' }, t('consoleBroadcasts.report.colDelivered')))),
        h('tbody', null, routes.map((route) =>
          h('tr', { 'data-route': route },
            h('td', null, t(`consoleBroadcasts.report.route.${route}`, { defaultValue: route })),
            h('td', { class: 'num' }, ctx.fmt.number(report.sentByRoute[route] ?? 0)),
            h('td', { class: 'num' }, route === 'message' ? '—' : ctx.fmt.number(report.deliveredByRoute[route] ?? 0)),
          ))),
      );
    };
    /** @param {string} label @param {string} value @param {string} testId */
    const fact = (label, value, testId) => h('div', { class: 'bc-stat' }, h('dt', null, label), h('dd', { 'data-testid': testId }, value));
    fill(el,
      h('h2', { id: 'bc-report-title' }, t('consoleBroadcasts.report.heading')),
      h('dl', { class: 'bc-stats' },
        fact(t('consoleBroadcasts.report.recipients'), ctx.fmt.number(r.recipients), 'report-recipients'),
        /** @type {const} */ (['sent', 'blocked', 'failed', 'skipped']).map((k) => fact(t(`consoleBroadcasts.progress.${k}`), ctx.fmt.number(r.counts[k]), `report-${k}`)),
        fact(t('consoleBroadcasts.report.firstSent'), ctx.fmt.dateTime(r.firstSentAt), 'report-first'),
        fact(t('consoleBroadcasts.report.lastSent'), ctx.fmt.dateTime(r.lastSentAt), 'report-last'),
        fact(t('consoleBroadcasts.report.achievedRate'), r.achievedRatePerSecond === null ? '—' : t('consoleBroadcasts.progress.rateValue', { rate: ctx.fmt.number(r.achievedRatePerSecond) }), 'report-rate'),
      ),
      routeTable(r),
      r.cost.estimated === null && r.cost.recorded === null
        ? null
        : h('p', { 'data-testid': 'report-cost' }, t('consoleBroadcasts.report.cost', { estimated: r.cost.estimated === null ? '—' : ctx.fmt.number(r.cost.estimated), recorded: r.cost.recorded === null ? '—' : ctx.fmt.number(r.cost.recorded) })),
      reasonTable('consoleBroadcasts.report.failures', r.failureReasons) ?? h('p', { class: 'muted' }, t('consoleBroadcasts.report.noFailures')),
      reasonTable('consoleBroadcasts.report.skips', r.skipReasons),
    );
    el.hidden = false;
  }

  async function load() {
    let r;
    try {
      r = /** @type {BroadcastReport} */ (await ctx.api.get(`${path}/report`));
    } catch {
      return;
    }
    // A cancelled broadcast may still have sends in flight: look again on the next poll.
    if (!r.final) return;
    loaded = true;
    draw(r);
  }

  return {
    el,
    loaded: () => loaded,
    /** Asks for the report once it is final; a call while one is under way waits for that one. */
    request() {
      if (loaded) return;
      loading ??= load().finally(() => {
        loading = null;
      });
    },
  };
}
