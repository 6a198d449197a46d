/** Polls `check` every `stepMs` until it holds, failing with `what` after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, what: string, opts: { timeoutMs?: number; stepMs?: number } = {}): Promise<void> {
  const { timeoutMs = 10_000, stepMs = 15 } = opts;
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
