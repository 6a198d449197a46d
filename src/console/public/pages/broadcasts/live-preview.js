/**
 * Asks the server how a message will look (POST /broadcasts/preview, the
 * channels' own renderers) in Vietnamese and, when it has one, in English.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').Preview} Preview
 * @typedef {import('./composer/form-state.js').Message} Message
 * @typedef {import('./preview-pane.js').Previews} Previews
 */

/** Waits this long after the last keystroke before asking. */
const DEBOUNCE_MS = 250;

/**
 * One preview per language the message has.
 * @param {PageContext} ctx @param {Message} message
 * @returns {Promise<Previews>}
 */
export async function fetchPreviews(ctx, message) {
  /** @param {'vi' | 'en'} locale */
  const ask = async (locale) => /** @type {Preview} */ (await ctx.api.post('/broadcasts/preview', { ...message, locale }));
  const [vi, en] = await Promise.all([ask('vi'), message.content.en ? ask('en') : Promise.resolve(undefined)]);
  return en ? { vi, en } : { vi };
}

/**
 * A preview kept in step with typing: asked for once the officer pauses, an
 * answer for an older text dropped, the last good answer kept when a call fails.
 * @param {PageContext} ctx
 * @param {(previews: Previews, message: Message) => void} onAnswer called with each answer for the message now shown
 */
export function livePreview(ctx, onAnswer) {
  let serial = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Message | null} */
  let pending = null;
  /** @type {Promise<Previews | null> | null} */
  let running = null;
  ctx.onDispose(() => clearTimeout(timer));

  /** Asks now for the latest message; resolves with its answer, or null when it failed or was overtaken. */
  function run() {
    clearTimeout(timer);
    if (!pending) return running ?? Promise.resolve(null);
    const message = pending;
    pending = null;
    const asked = ++serial;
    running = fetchPreviews(ctx, message).then(
      (previews) => {
        if (asked !== serial) return null;
        onAnswer(previews, message);
        return previews;
      },
      () => null,
    );
    return running;
  }

  return {
    /** The message changed: ask again after a pause. @param {Message} message */
    update(message) {
      pending = message;
      clearTimeout(timer);
      timer = setTimeout(() => void run(), DEBOUNCE_MS);
    },
    /** The answer for the message as it stands now (asking at once if a change is waiting). */
    settle: run,
  };
}
