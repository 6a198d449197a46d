import { language, t } from './i18n.js';

/** Dates are shown in Vietnam time wherever the browser is. */
const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const localeTag = () => (language() === 'vi' ? 'vi-VN' : 'en-GB');

/** @param {Date | string | number} value */
const toDate = (value) => (value instanceof Date ? value : new Date(value));

export const fmt = {
  /** @param {number} n */
  number: (n) => new Intl.NumberFormat(localeTag()).format(n),
  /** @param {number} ratio 0..1 @param {number} [digits] */
  percent: (ratio, digits = 1) =>
    new Intl.NumberFormat(localeTag(), { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: digits }).format(ratio),
  /** @param {Date | string | null | undefined} value */
  date: (value) => (value ? new Intl.DateTimeFormat(localeTag(), { timeZone: TIME_ZONE, dateStyle: 'medium' }).format(toDate(value)) : '—'),
  /** @param {Date | string | null | undefined} value */
  dateTime: (value) =>
    value ? new Intl.DateTimeFormat(localeTag(), { timeZone: TIME_ZONE, dateStyle: 'medium', timeStyle: 'short' }).format(toDate(value)) : '—',
  /** @param {number} seconds */
  duration: (seconds) => {
    if (!Number.isFinite(seconds) || seconds < 0) return '—';
    const s = Math.round(seconds);
    const hours = Math.floor(s / 3600);
    const minutes = Math.floor((s % 3600) / 60);
    if (hours > 0) return t('console.duration.hoursMinutes', { hours, minutes });
    if (minutes > 0) return t('console.duration.minutesSeconds', { minutes, seconds: s % 60 });
    return t('console.duration.seconds', { seconds: s });
  },
};
