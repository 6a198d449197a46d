/**
 * A tiny DOM builder. Children are always text nodes or elements, never HTML,
 * so data from the API can never become markup.
 */

/** @param {string} tag @param {Record<string, unknown> | null} [attrs] @param {...unknown} children */
export function h(tag, attrs, ...children) {
  const el = document.createElementNS(tag === 'svg' || SVG_TAGS.has(tag) ? SVG_NS : HTML_NS, tag);
  for (const [name, value] of Object.entries(attrs ?? {})) setAttr(el, name, value);
  append(el, children);
  return el;
}

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_TAGS = new Set(['g', 'rect', 'line', 'text', 'title', 'desc', 'circle', 'path', 'polyline', 'tspan']);

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

/** @param {Node} parent @param {unknown[]} children */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** @param {Element} el */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Replaces an element's children; null and false are skipped (unlike replaceChildren, which would print "null"). */
export const fill = (el, ...children) => append(clear(el), children);
