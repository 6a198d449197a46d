/**
 * The two review queues and how each is loaded: payment-method requests and
 * relatives' links, oldest first.
 *
 * @typedef {import('../../lib/types.js').Api} Api
 * @typedef {import('../../lib/api-types.js').PaymentRequest} PaymentRequest
 * @typedef {import('../../lib/api-types.js').RelativeLink} RelativeLink
 * @typedef {'requests' | 'links'} QueueName
 * @typedef {{ kind: 'requests', item: PaymentRequest } | { kind: 'links', item: RelativeLink }} QueueItem
 * @typedef {{ items: QueueItem[], capped: boolean }} QueueLoad
 */

/** @type {QueueName[]} */
export const QUEUES = ['requests', 'links'];

/** How many the page asks for: a queue that long is shown as "more than N". */
const PAGE = { requests: 500, links: 200 };

/**
 * The admin API operation that decides an item of each queue (the server says whether this key may call it).
 * @type {Record<QueueName, string>}
 */
export const DECIDES = { requests: 'postRequestsByIdApprove', links: 'postLinksByIdApprove' };

/**
 * Pending payment-method requests: `submitted`, and `frozen` ones (someone said "this was not me"), oldest first.
 * @param {Api} api @returns {Promise<QueueLoad>}
 */
async function loadRequests(api) {
  const limit = PAGE.requests;
  /** @param {string} status */
  const list = async (status) => /** @type {{ items: PaymentRequest[] }} */ (await api.get(`/requests?status=${status}&limit=${limit}`)).items;
  const [submitted, frozen] = await Promise.all([list('submitted'), list('frozen')]);
  const items = [...submitted, ...frozen].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  return { items: items.map((item) => ({ kind: 'requests', item })), capped: submitted.length >= limit || frozen.length >= limit };
}

/** @param {Api} api @returns {Promise<QueueLoad>} */
async function loadLinks(api) {
  const { items } = /** @type {{ items: RelativeLink[] }} */ (await api.get(`/links?status=pending&limit=${PAGE.links}`));
  return { items: items.map((item) => ({ kind: 'links', item })), capped: items.length >= PAGE.links };
}

/** @type {Record<QueueName, (api: Api) => Promise<QueueLoad>>} */
export const LOADERS = { requests: loadRequests, links: loadLinks };

/** The code staff and the person use for an item: its reference, or the end of its id. @param {QueueItem} entry */
export const reference = (entry) => entry.item.reference ?? entry.item.id.slice(-6).toUpperCase();
