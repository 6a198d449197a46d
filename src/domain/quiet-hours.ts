/** A daily window in local time, HH:MM; start > end wraps over midnight (21:00–07:00). */
export interface DailyWindow {
  start: string;
  end: string;
}

/** `21:00-07:00` (the environment's form) as a window; null for none. */
export function parseDailyWindow(text: string | null | undefined): DailyWindow | null {
  const [start, end] = text?.split('-') ?? [];
  return start && end ? { start, end } : null;
}

/** Seconds since midnight of `at` in `timeZone`. */
function secondsOfDay(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return part('hour') * 3600 + part('minute') * 60 + part('second');
}

const toSeconds = (hhmm: string): number => {
  const [h, m] = hhmm.split(':');
  return Number(h) * 3600 + Number(m) * 60;
};

function inWindow(s: number, window: DailyWindow): boolean {
  const start = toSeconds(window.start);
  const end = toSeconds(window.end);
  if (start === end) return false;
  return start < end ? s >= start && s < end : s >= start || s < end;
}

/**
 * True during quiet hours (local time in `timeZone`); a window whose start is
 * after its end wraps over midnight (21:00–07:00).
 */
export function inQuietHours(at: Date, quiet: DailyWindow | null, timeZone: string): boolean {
  return quiet !== null && inWindow(secondsOfDay(at, timeZone), quiet);
}

/** When the window that `at` falls in ends (the next local `end`), or null outside it. */
export function quietUntil(at: Date, quiet: DailyWindow | null, timeZone: string): Date | null {
  if (!quiet) return null;
  const s = secondsOfDay(at, timeZone);
  if (!inWindow(s, quiet)) return null;
  const wait = (toSeconds(quiet.end) - s + 86_400) % 86_400;
  // Time zone offsets are whole minutes: dropping the milliseconds lands exactly on the minute.
  return new Date(at.getTime() - (at.getTime() % 1000) + wait * 1000);
}

/**
 * Until when a broadcast send on a platform must wait, or null if it may go now:
 * the platform's own night (ChannelLimits.night: Zalo does not let an OA send
 * notices then; it applies even when staff turned quiet hours off or marked a
 * notice urgent, and sends are postponed, never dropped), and the configured quiet
 * hours unless the broadcast ignores them. Overlapping windows chain
 * (21:00–07:00 and 22:00–06:00 → 07:00).
 */
export function platformQuietUntil(
  platformNight: DailyWindow | null,
  at: Date,
  opts: { quietHours: DailyWindow | null; timeZone: string; ignoreQuietHours: boolean },
): Date | null {
  const windows = [platformNight, opts.ignoreQuietHours ? null : opts.quietHours].filter((w): w is DailyWindow => w !== null);
  let until: Date | null = null;
  for (let round = 0; round < windows.length; round++) {
    const from: Date = until ?? at;
    const next: Date[] = windows.map((w) => quietUntil(from, w, opts.timeZone)).filter((d): d is Date => d !== null);
    if (next.length === 0) break;
    until = new Date(Math.max(...next.map((d) => d.getTime())));
  }
  return until;
}
