import { readdirSync, readFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type TFunction } from 'i18next';
import type { Locale, Msg } from '../messaging/types.js';
import { LOCALES } from '../messaging/types.js';

export type Resources = Record<Locale, Record<string, unknown>>;

/** `locales/` at the repository root, found from this file whether run from src or dist. */
export function localesDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = join(here, up, 'locales');
    try {
      readdirSync(dir);
      return dir;
    } catch {
      // try the next candidate
    }
  }
  throw new Error('locales/ folder not found');
}

/** Each `locales/<lng>/<feature>.json` becomes the `<feature>.` key prefix. */
export function loadResources(dir = localesDir()): Resources {
  const resources = {} as Resources;
  for (const locale of LOCALES) {
    const merged: Record<string, unknown> = {};
    for (const file of readdirSync(join(dir, locale)).filter((f) => f.endsWith('.json')).sort()) {
      merged[basename(file, '.json')] = JSON.parse(readFileSync(join(dir, locale, file), 'utf8'));
    }
    resources[locale] = merged;
  }
  return resources;
}

/**
 * One i18next instance for the process; translation always goes through
 * getFixedT(locale) so concurrent chats in different languages never interfere.
 */
export class Translator {
  private constructor(private readonly instance: i18n) {}

  static async create(resources: Resources = loadResources(), fallback: Locale = 'vi'): Promise<Translator> {
    const instance = i18next.createInstance();
    await instance.init({
      resources: Object.fromEntries(Object.entries(resources).map(([lng, res]) => [lng, { translation: res }])),
      lng: fallback,
      fallbackLng: fallback,
      supportedLngs: [...LOCALES],
      // Replies are sent as plain text, never HTML, so nothing needs escaping.
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
      showSupportNotice: false,
    });
    return new Translator(instance);
  }

  t(locale: Locale, msg: Msg): string {
    const fixed: TFunction = this.instance.getFixedT(locale);
    return fixed(msg.key, msg.params ?? {}) as string;
  }

  has(locale: Locale, key: string): boolean {
    return this.instance.exists(key, { lng: locale, fallbackLng: false });
  }
}
