/**
 * The front page (`#/dashboard`, `#/dashboard?province=01`): cashless adoption
 * against its targets, the review queues, this week's fraud reports, recent
 * broadcasts and chat users per platform — all from GET /dashboard.
 * An unscoped key may pick a province; a scoped key always sees its own.
 */
import { barChart, CHARTS_CSS, donutChart, PALETTE } from '../lib/charts.js';
import { badge, emptyState, errorBox, field, pageHeader, progressBar } from '../lib/ui.js';
import { append } from '../lib/dom.js';

/**
 * @typedef {import('../lib/types.js').PageContext} PageContext
 * @typedef {import('../lib/api-types.js').Dashboard} Dashboard
 * @typedef {import('../lib/api-types.js').AdoptionFigure} AdoptionFigure
 * @typedef {AdoptionFigure & { label: string }} AdoptionRow
 */

const FRAUD_COLORS = [PALETTE.blue, PALETTE.red, PALETTE.brown, PALETTE.purple, PALETTE.grey];
const RATIO_TICKS = [0, 0.25, 0.5, 0.75, 1];

/** @param {PageContext} ctx */
export async function mount(ctx) {
  const { h, t } = ctx;
  ctx.root.append(
    h('link', { rel: 'stylesheet', href: CHARTS_CSS }),
    h('link', { rel: 'stylesheet', href: '/console/assets/pages/dashboard.css' }),
  );
  const asked = ctx.query.get('province');
  const province = ctx.session.province ?? (asked && /^\d{2}$/.test(asked) ? asked : null);

  const body = h('div', { class: 'dashboard', 'aria-busy': 'true', 'data-testid': 'dashboard' }, h('p', { class: 'muted' }, t('consoleDashboard.loading')));
  const refresh = h('button', { type: 'button', class: 'btn', 'data-testid': 'dashboard-refresh', 'on:click': () => load() }, t('consoleDashboard.refresh'));
  ctx.root.append(pageHeader(ctx, t('consoleDashboard.title'), refresh), body);

  async function load() {
    body.setAttribute('aria-busy', 'true');
    refresh.disabled = true;
    try {
      const data = /** @type {Dashboard} */ (await ctx.api.get(`/dashboard${province ? `?province=${encodeURIComponent(province)}` : ''}`));
      body.replaceChildren(...render(ctx, data));
    } catch (err) {
      body.replaceChildren(errorBox(ctx, err));
    } finally {
      body.setAttribute('aria-busy', 'false');
      refresh.disabled = false;
    }
  }
  await load();
}

/** Every section of the page, in reading order. @param {PageContext} ctx @param {Dashboard} data */
function render(ctx, data) {
  return [
    scopeBar(ctx, data),
    headline(ctx, data),
    queueCards(ctx, data),
    adoptionSection(ctx, data),
    h2Grid(ctx, [fraudSection(ctx, data), subscribersSection(ctx, data)]),
    broadcastsSection(ctx, data),
    ctx.h('p', { class: 'muted' }, ctx.t('consoleDashboard.updatedAt', { time: ctx.fmt.dateTime(data.generatedAt) })),
  ];
}

/** @param {PageContext} ctx @param {Dashboard} data @param {string} code */
function provinceName(ctx, data, code) {
  const known = data.provinces.find((p) => p.code === code);
  return known?.name
    ? ctx.t('consoleDashboard.province.option', { name: known.name, code })
    : ctx.t('consoleDashboard.province.unnamed', { code });
}

/** Which province the figures are for, and for an unscoped key the choice of another. @param {PageContext} ctx @param {Dashboard} data */
function scopeBar(ctx, data) {
  const { h, t } = ctx;
  const scope = h(
    'p',
    { class: 'dash-scope', 'data-testid': 'dashboard-scope' },
    data.province ? t('consoleDashboard.province.scope', { province: provinceName(ctx, data, data.province) }) : t('consoleDashboard.province.scopeAll'),
  );
  if (ctx.session.province !== null) return scope;
  const select = h(
    'select',
    { name: 'province', 'data-testid': 'province-select' },
    h('option', { value: '' }, t('consoleDashboard.province.all')),
    data.provinces.map((p) => h('option', { value: p.code, selected: p.code === data.province }, provinceName(ctx, data, p.code))),
  );
  select.value = data.province ?? '';
  // A button rather than navigating on change: moving through the list with the keyboard must not reload the page.
  const form = h(
    'form',
    {
      class: 'dash-province row',
      'on:submit': (/** @type {Event} */ ev) => {
        ev.preventDefault();
        ctx.navigate(select.value ? `#/dashboard?province=${select.value}` : '#/dashboard');
      },
    },
    field(ctx, { label: t('consoleDashboard.province.label'), input: select }),
    h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'province-apply' }, t('consoleDashboard.province.apply')),
  );
  return h('div', { class: 'dash-scope-bar' }, scope, form);
}

/** The one number that matters most: overall cashless rate against its target. @param {PageContext} ctx @param {Dashboard} data */
function headline(ctx, data) {
  const { h, t, fmt } = ctx;
  const { overall } = data.adoption;
  const titleId = 'dash-headline-title';
  const section = h('section', { class: 'card dash-headline', 'aria-labelledby': titleId, 'data-testid': 'headline' }, h('h2', { id: titleId }, t('consoleDashboard.headline.title')));
  if (overall.total === 0 || overall.rate === null) {
    section.append(emptyState(ctx, t('consoleDashboard.headline.empty')));
    return section;
  }
  const bar = progressBar(ctx, { value: overall.cashless, max: overall.total, label: t('consoleDashboard.headline.progressLabel') });
  if (overall.target !== null) {
    bar.querySelector('.bar')?.append(h('span', { class: 'dash-target-marker', style: `left: ${(overall.target * 100).toFixed(2)}%`, 'aria-hidden': 'true' }));
  }
  const met = overall.target !== null && overall.rate >= overall.target;
  if (met) section.classList.add('is-met');
  const gapPoints = overall.target === null ? 0 : Math.round((overall.target - overall.rate) * 1000) / 10;
  // append() skips the null of a missing target (Element.append would print "null").
  append(section, [
    h(
      'div',
      { class: 'dash-headline-figures' },
      h('span', { class: 'big-number', 'data-testid': 'headline-rate' }, fmt.percent(overall.rate)),
      h(
        'span',
        { class: 'dash-headline-target', 'data-testid': 'headline-target' },
        overall.target === null ? t('consoleDashboard.headline.noTarget') : t('consoleDashboard.headline.target', { target: fmt.percent(overall.target) }),
      ),
    ),
    h('p', null, t('consoleDashboard.headline.detail', { cashless: fmt.number(overall.cashless), total: fmt.number(overall.total) })),
    bar,
    overall.target === null
      ? null
      : h(
          'p',
          { class: met ? 'dash-met' : 'dash-below', 'data-testid': 'headline-status' },
          met ? t('consoleDashboard.headline.reached') : t('consoleDashboard.headline.gap', { points: fmt.number(gapPoints) }),
        ),
  ]);
  return section;
}

/**
 * Pending requests, pending links and this week's fraud reports, each leading to
 * its queue for a key the server lets read that queue.
 * @param {PageContext} ctx @param {Dashboard} data
 */
function queueCards(ctx, data) {
  const { h, t, fmt } = ctx;
  /**
   * @param {string} id @param {string} title @param {number} count @param {Node | null} extra
   * @param {string} href @param {string} linkText @param {string} reads the operation that lists the queue
   */
  const card = (id, title, count, extra, href, linkText, reads) =>
    h(
      'section',
      { class: 'card dash-count', 'aria-labelledby': `dash-${id}-title`, 'data-testid': `card-${id}` },
      h('h2', { id: `dash-${id}-title` }, title),
      h('p', { class: 'big-number', 'data-testid': `count-${id}` }, fmt.number(count)),
      extra,
      ctx.may(reads) ? h('a', { href, class: 'dash-link' }, linkText) : null,
    );
  return h(
    'div',
    { class: 'grid dash-cards' },
    card(
      'requests',
      t('consoleDashboard.cards.requests.title'),
      data.pending.requests,
      data.pending.requestsFrozen > 0 ? h('p', { class: 'dash-warning' }, t('consoleDashboard.cards.requests.frozen', { count: fmt.number(data.pending.requestsFrozen) })) : null,
      '#/reviews/requests',
      t('consoleDashboard.cards.requests.link'),
      'getRequests',
    ),
    card('links', t('consoleDashboard.cards.links.title'), data.pending.links, null, '#/reviews/links', t('consoleDashboard.cards.links.link'), 'getLinks'),
    card('fraud', t('consoleDashboard.cards.fraud.title'), data.fraud.total, null, '#/fraud', t('consoleDashboard.cards.fraud.link'), 'getFraudCases'),
  );
}

/** @param {PageContext} ctx */
function toggleLabels(ctx) {
  return { showTable: ctx.t('consoleDashboard.chart.showTable'), hideTable: ctx.t('consoleDashboard.chart.hideTable') };
}

/**
 * One adoption chart (areas or benefit types): bars coloured by target met, with the target line.
 * @param {PageContext} ctx @param {string} title @param {AdoptionRow[]} items @param {string} testId
 */
function adoptionChart(ctx, title, items, testId) {
  const { t, fmt } = ctx;
  /** @param {AdoptionRow} item */
  const rate = (item) => (item.rate === null ? t('consoleDashboard.adoption.noRate') : fmt.percent(item.rate));
  /** @param {AdoptionRow} item */
  const color = (item) => (item.target === null ? PALETTE.grey : item.rate !== null && item.rate >= item.target ? PALETTE.green : PALETTE.blue);
  /** @param {AdoptionRow} item */
  const rowSummary = (item) =>
    item.target === null
      ? t('consoleDashboard.adoption.rowSummary', { label: item.label, rate: rate(item) })
      : t('consoleDashboard.adoption.rowSummaryTarget', { label: item.label, rate: rate(item), target: fmt.percent(item.target) });
  /** @type {import('../lib/charts.js').LegendItem[]} */
  const legend = [
    { label: t('consoleDashboard.adoption.legendMet'), color: PALETTE.green },
    { label: t('consoleDashboard.adoption.legendBelow'), color: PALETTE.blue },
  ];
  if (items.some((item) => item.target === null)) legend.push({ label: t('consoleDashboard.adoption.legendNoTarget'), color: PALETTE.grey });
  if (items.some((item) => item.target !== null)) legend.push({ label: t('consoleDashboard.adoption.legendTarget'), color: '#1a1f24', kind: 'marker' });
  return barChart(ctx.h, {
    title,
    summary: t('consoleDashboard.adoption.summary', { count: items.length, rows: items.map(rowSummary).join('; ') }),
    rows: items.map((item) => ({
      label: item.label,
      segments: [{ value: item.rate ?? 0, color: color(item) }],
      target: item.target,
      valueText: rate(item),
    })),
    max: 1,
    ticks: RATIO_TICKS.map((value) => ({ value, label: fmt.percent(value, 0) })),
    legend,
    table: {
      caption: title,
      head: ['colName', 'colTotal', 'colCashless', 'colRate', 'colTarget'].map((c) => t(`consoleDashboard.adoption.${c}`)),
      numeric: [false, true, true, true, true],
      rows: items.map((item) => [
        item.label,
        fmt.number(item.total),
        fmt.number(item.cashless),
        rate(item),
        item.target === null ? t('consoleDashboard.adoption.noTarget') : fmt.percent(item.target),
      ]),
    },
    labels: toggleLabels(ctx),
    testId,
  });
}

/** Adoption by area (provinces when every province is shown, else districts) and by benefit type. @param {PageContext} ctx @param {Dashboard} data */
function adoptionSection(ctx, data) {
  const { h, t } = ctx;
  const byProvince = data.province === null;
  const areaTitle = byProvince ? t('consoleDashboard.adoption.byProvince') : t('consoleDashboard.adoption.byDistrict');
  const areas = byProvince
    ? data.adoption.byProvince.map((p) => ({ ...p, label: provinceName(ctx, data, p.code) }))
    : data.adoption.byDistrict.map((d) => ({
        ...d,
        label: d.code === null ? t('consoleDashboard.adoption.noDistrict') : t('consoleDashboard.adoption.district', { code: d.code }),
      }));
  const benefitTitle = t('consoleDashboard.adoption.byBenefit');
  const benefits = data.adoption.byBenefitType.map((b) => ({ ...b, label: t(`consoleDashboard.benefitTypes.${b.benefitType}`) }));
  /** @param {string} id @param {string} title @param {AdoptionRow[]} items */
  const section = (id, title, items) =>
    h(
      'section',
      { class: 'card', 'aria-labelledby': id },
      h('h2', { id }, title),
      items.length === 0 ? emptyState(ctx, t('consoleDashboard.adoption.empty')) : adoptionChart(ctx, title, items, `chart-${id}`),
    );
  return h('div', { class: 'dash-charts' }, section('adoption-area', areaTitle, areas), section('adoption-benefit', benefitTitle, benefits));
}

/** @param {PageContext} ctx @param {Node[]} children */
function h2Grid(ctx, children) {
  return ctx.h('div', { class: 'grid dash-pair' }, children);
}

/** @param {PageContext} ctx @param {Dashboard} data */
function fraudSection(ctx, data) {
  const { h, t, fmt } = ctx;
  const title = t('consoleDashboard.fraud.title');
  /** @param {{ category: string }} c */
  const label = (c) => t(`consoleDashboard.fraudCategories.${c.category}`);
  const content =
    data.fraud.total === 0
      ? emptyState(ctx, t('consoleDashboard.fraud.empty'))
      : donutChart(h, {
          title,
          summary: t('consoleDashboard.fraud.summary', {
            total: fmt.number(data.fraud.total),
            rows: data.fraud.byCategory.map((c) => `${label(c)}: ${fmt.number(c.count)}`).join('; '),
          }),
          slices: data.fraud.byCategory.map((c, i) => ({ label: label(c), value: c.count, color: FRAUD_COLORS[i % FRAUD_COLORS.length] })),
          centerText: fmt.number(data.fraud.total),
          legend: data.fraud.byCategory.map((c, i) => ({ label: `${label(c)}: ${fmt.number(c.count)}`, color: FRAUD_COLORS[i % FRAUD_COLORS.length] })),
          table: {
            caption: title,
            head: [t('consoleDashboard.fraud.colCategory'), t('consoleDashboard.fraud.colCount')],
            numeric: [false, true],
            rows: data.fraud.byCategory.map((c) => [label(c), fmt.number(c.count)]),
          },
          labels: toggleLabels(ctx),
          testId: 'chart-fraud',
        });
  return h('section', { class: 'card', 'aria-labelledby': 'dash-fraud-chart' }, h('h2', { id: 'dash-fraud-chart' }, title), content);
}

/** @param {PageContext} ctx @param {Dashboard} data */
function subscribersSection(ctx, data) {
  const { h, t, fmt } = ctx;
  const title = t('consoleDashboard.subscribers.title');
  /** @param {{ platform: string }} row */
  const platform = (row) => t(`consoleDashboard.platforms.${row.platform}`);
  const rows = data.subscribers;
  const max = Math.max(0, ...rows.map((r) => r.total));
  const colors = { subscribed: PALETTE.green, blocked: PALETTE.red, unsubscribed: PALETTE.grey };
  const content =
    rows.length === 0
      ? emptyState(ctx, t('consoleDashboard.subscribers.empty'))
      : barChart(h, {
          title,
          summary: t('consoleDashboard.subscribers.summary', {
            rows: rows
              .map((r) =>
                t('consoleDashboard.subscribers.rowSummary', {
                  platform: platform(r),
                  subscribed: fmt.number(r.subscribed),
                  blocked: fmt.number(r.blocked),
                  unsubscribed: fmt.number(r.unsubscribed),
                }),
              )
              .join('; '),
          }),
          rows: rows.map((r) => ({
            label: platform(r),
            segments: [
              { value: r.subscribed, color: colors.subscribed },
              { value: r.blocked, color: colors.blocked },
              { value: r.unsubscribed, color: colors.unsubscribed },
            ],
            valueText: fmt.number(r.total),
          })),
          max,
          legend: /** @type {const} */ (['subscribed', 'blocked', 'unsubscribed']).map((k) => ({ label: t(`consoleDashboard.subscribers.${k}`), color: colors[k] })),
          table: {
            caption: title,
            head: ['colPlatform', 'subscribed', 'blocked', 'unsubscribed', 'colTotal'].map((k) => t(`consoleDashboard.subscribers.${k}`)),
            numeric: [false, true, true, true, true],
            rows: rows.map((r) => [platform(r), fmt.number(r.subscribed), fmt.number(r.blocked), fmt.number(r.unsubscribed), fmt.number(r.total)]),
          },
          labels: toggleLabels(ctx),
          testId: 'chart-subscribers',
        });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'dash-subscribers' },
    h('h2', { id: 'dash-subscribers' }, title),
    data.province ? h('p', { class: 'muted' }, t('consoleDashboard.subscribers.scopeNote')) : null,
    content,
  );
}

/** @param {PageContext} ctx @param {Dashboard} data */
function broadcastsSection(ctx, data) {
  const { h, t, fmt } = ctx;
  const canOpen = ctx.may('getBroadcastsById');
  /** @param {string} k @param {Record<string, string>} [values] */
  const col = (k, values) => t(`consoleDashboard.broadcasts.${k}`, values);
  const content =
    data.broadcasts.length === 0
      ? emptyState(ctx, col('empty'))
      : h(
          'div',
          // Scrolls sideways on a narrow screen: focusable and named so the keyboard can scroll it too.
          { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'dash-broadcasts' },
          h(
            'table',
            { class: 'data', 'data-testid': 'broadcasts-table' },
            h('caption', { class: 'sr-only' }, col('title')),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, col('colTitle')),
                h('th', { scope: 'col' }, col('colStatus')),
                h('th', { scope: 'col' }, col('colCreated')),
                ['colSent', 'colBlocked', 'colFailed', 'colTotal', 'colZaloDelivered'].map((k) => h('th', { scope: 'col', class: 'num' }, col(k))),
              ),
            ),
            h(
              'tbody',
              null,
              data.broadcasts.map((b) =>
                h(
                  'tr',
                  { 'data-broadcast': b.id },
                  h('th', { scope: 'row' }, canOpen ? h('a', { href: `#/broadcasts/${encodeURIComponent(b.id)}` }, b.title) : b.title),
                  h('td', null, badge(ctx, b.status, t(`consoleBroadcasts.status.${b.status}`))),
                  h('td', null, fmt.date(b.createdAt)),
                  [b.reach.sent, b.reach.blocked, b.reach.failed, b.reach.total].map((n) => h('td', { class: 'num' }, fmt.number(n))),
                  // Zalo template messages report delivery: delivered of sent, or a dash when none went.
                  h('td', { class: 'num', 'data-testid': 'zalo-delivered' }, b.templates.sent === 0 ? '—' : col('zaloDelivered', { delivered: fmt.number(b.templates.delivered), sent: fmt.number(b.templates.sent) })),
                ),
              ),
            ),
          ),
        );
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'dash-broadcasts' },
    h('h2', { id: 'dash-broadcasts' }, col('title')),
    content,
    canOpen ? h('p', null, h('a', { href: '#/broadcasts' }, col('viewAll'))) : null,
  );
}
