import { ApiError } from './api.js';

/** Polling that stops with the page: the broadcasts and imports pages watch long jobs with it. */

/**
 * An error asking again will not fix: refused or gone (4xx), or the page was left (aborted).
 * @param {unknown} err
 * @returns {err is import('./api.js').ApiError}
 */
export const isLasting = (err) => err instanceof ApiError && (err.code === 'aborted' || (err.status >= 400 && err.status < 500));

/**
 * Runs `tick` again after the delay it returns (null stops), never two at once,
 * and stops for good when the page is left. A network error or 5xx is tried
 * again after `retryMs`; a lasting error stops the loop and goes to `onStop(err)`.
 * @param {Pick<import('./types.js').PageContext, 'onDispose'>} ctx @param {() => Promise<number | null | undefined>} tick @param {number} firstDelay
 * @param {(err: import('./api.js').ApiError) => void} [onStop] @param {{ retryMs?: number }} [opts]
 */
export function poll(ctx, tick, firstDelay, onStop, { retryMs = 5000 } = {}) {
  let stopped = false;
  let running = false;
  let again = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const run = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    /** @type {number | null | undefined} */
    let next;
    /** @type {import('./api.js').ApiError | null} */
    let lasting = null;
    try {
      next = await tick();
    } catch (err) {
      if (isLasting(err)) lasting = err;
      else next = retryMs;
    }
    running = false;
    if (stopped) return;
    if (again) {
      again = false;
      void run();
      return;
    }
    if (lasting) {
      if (lasting.code !== 'aborted') onStop?.(lasting);
      return;
    }
    if (next) timer = setTimeout(run, next);
  };
  ctx.onDispose(() => {
    stopped = true;
    clearTimeout(timer);
  });
  timer = setTimeout(run, firstDelay);
  return {
    /** Looks again now (after an action), keeping one loop. */
    now() {
      clearTimeout(timer);
      void run();
    },
    /** Looks again after `ms` (null: not at all), for a caller that has just looked itself; keeps one loop. @param {number | null} ms */
    later(ms) {
      if (running) {
        again = true;
        return;
      }
      clearTimeout(timer);
      if (!stopped && ms) timer = setTimeout(run, ms);
    },
  };
}
