/**
 * A tiny DOM builder. Children are always text nodes or elements, never HTML,
 * so data from the API can never become markup.
 */

/**
 * An element with attributes and children: `h('button', { type: 'button', 'on:click': go }, 'Send')`.
 * Typed by tag (`h('input')` is an HTMLInputElement) through `HtmlBuilder` in types.d.ts.
 * @type {import('./types.js').HtmlBuilder}
 */
export const h = /** @type {any} */ (build);

/** @param {string} tag @param {Record<string, unknown> | null} [attrs] @param {...unknown} children */
function build(tag, attrs, ...children) {
  const el = document.createElementNS(tag === 'svg' || SVG_TAGS.has(tag) ? SVG_NS : HTML_NS, tag);
  for (const [name, value] of Object.entries(attrs ?? {})) setAttr(el, name, value);
  append(el, children);
  return el;
}

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_TAGS = new Set(['g', 'rect', 'line', 'text', 'title', 'desc', 'circle', 'path', 'polyline', 'tspan']);

/** @param {Element} el @param {string} name @param {unknown} value */
function setAttr(el, name, value) {
  if (value === undefined || value === null || value === false) return;
  if (name.startsWith('on:')) {
    el.addEventListener(name.slice(3), /** @type {EventListener} */ (value));
  } else if (name === 'value' && 'value' in el) {
    el.value = String(value);
  } else if (name === 'checked' && 'checked' in el) {
    el.checked = Boolean(value);
  } else if (value === true) {
    el.setAttribute(name, '');
  } else {
    el.setAttribute(name, String(value));
  }
}

/**
 * @template {Node} N
 * @param {N} parent @param {unknown[]} children
 * @returns {N}
 */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/**
 * @template {Element} E
 * @param {E} el
 * @returns {E}
 */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/**
 * Replaces an element's children; null and false are skipped (unlike replaceChildren, which would print "null").
 * @template {Element} E
 * @param {E} el @param {...unknown} children
 * @returns {E}
 */
export const fill = (el, ...children) => append(clear(el), children);
