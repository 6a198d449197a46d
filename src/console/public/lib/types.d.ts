/**
 * What a console page is given (app.js builds it per visit) and the helpers'
 * shapes. Types only: nothing here is loaded by the browser.
 */

import type { StaffView } from './api-types.js';
import type { fmt } from './format.js';

/**
 * Attributes of `h()`: strings and numbers as written, `true` as a bare attribute,
 * null/undefined/false left out, `on:<event>` a listener, `value`/`checked` set as properties.
 */
export type Attrs = Record<string, unknown>;

/** `h(tag, attrs, ...children)` (lib/dom.js): children are text, nodes or arrays of them; null and false are skipped. */
export interface HtmlBuilder {
  <K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: unknown[]): HTMLElementTagNameMap[K];
  <K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: unknown[]): SVGElementTagNameMap[K];
}

export type Translate = (key: string, vars?: Record<string, unknown>) => string;

/** The admin API client of one page visit (lib/api.js). Answers are `unknown` until the caller names their shape. */
export interface Api {
  get(path: string): Promise<unknown>;
  post(path: string, body?: unknown): Promise<unknown>;
  put(path: string, body?: unknown): Promise<unknown>;
  del(path: string): Promise<unknown>;
  upload(path: string, file: Blob, contentType: string): Promise<unknown>;
  url(path: string): string;
  forPage(signal: AbortSignal): Api;
}

export type ToastKind = 'info' | 'success' | 'error';

/** Everything a page module's `mount(ctx)` may use. */
export interface PageContext {
  /** The page's own container; gone when the officer moves on. */
  root: HTMLElement;
  /** Path segments after the section: `#/fraud/LD-2026-000001` → `['LD-2026-000001']`. */
  params: string[];
  query: URLSearchParams;
  api: Api;
  t: Translate;
  fmt: typeof fmt;
  h: HtmlBuilder;
  session: StaffView;
  /**
   * Whether the admin API would let this key call an operation (its OpenAPI
   * operation id, e.g. `postBroadcastsByIdApprove`): the server's answer, given at sign-in.
   */
  may(operation: string): boolean;
  navigate(hash: string): void;
  toast(message: string, kind?: ToastKind): void;
  onDispose(fn: () => void): void;
}

/** The slice of a page context the shared helpers (lib/ui.js) need. */
export type UiContext = Pick<PageContext, 't' | 'fmt'>;

/** A `field()` wrapper: shows or clears the message under its input. */
export type FieldWrapper = HTMLDivElement & { setError(message: string): void };

/** A progress bar that `update(value, max)` moves. */
export type ProgressBar = HTMLDivElement & { update(value: number, max: number): void };
