/**
 * Helpers for errors that every layer may use (domain, engine, channels,
 * broadcast, http). Kept at the top of src/ and importing nothing, so using
 * them never adds an edge between folders.
 */

/**
 * The message of anything thrown, for a log line. `catch (err)` gives
 * `unknown`: a rejected promise or a library may throw a string or a plain
 * object, where `(err as Error).message` would log `undefined`.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    return (err as { message: string }).message;
  }
  return String(err);
}

/** The class name of anything thrown (`TypeError`, `MongoServerError`), for logs that must not quote a message. */
export function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}
