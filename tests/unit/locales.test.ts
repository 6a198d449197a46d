import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatVnd } from '../../src/domain/validators/money.js';
import { loadResources, Translator } from '../../src/i18n/i18n.js';

const root = join(import.meta.dirname, '..', '..');

function leafKeys(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix];
  if (typeof value !== 'object' || value === null) return [`${prefix}<non-string>`];
  return Object.entries(value).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

function sourceFiles(dir: string, extension = '.ts'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path, extension);
    return path.endsWith(extension) ? [path] : [];
  });
}

const resources = loadResources(join(root, 'locales'));
const vi = new Set(leafKeys(resources.vi));
const en = new Set(leafKeys(resources.en));

describe('locales', () => {
  it('has the same keys in Vietnamese and English', () => {
    expect([...vi].filter((k) => !en.has(k)), 'keys missing in en').toEqual([]);
    expect([...en].filter((k) => !vi.has(k)), 'keys missing in vi').toEqual([]);
  });

  it('has no empty translations', () => {
    for (const locale of ['vi', 'en'] as const) {
      const empty = leafKeys(resources[locale]).filter((key) => {
        const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], resources[locale]);
        return typeof value !== 'string' || value.trim() === '';
      });
      expect(empty, `empty strings in ${locale}`).toEqual([]);
    }
  });

  it('defines every key the code uses', () => {
    const files = [...sourceFiles(join(root, 'flows')), ...sourceFiles(join(root, 'src'))];
    const used = new Map<string, string>();
    // m('key') and { key: 'key' } are the two ways code names a translation.
    const patterns = [/\bm\(\s*'([a-zA-Z][\w.]*)'/g, /\bkey:\s*'([a-zA-Z][\w.]*\.[\w.]+)'/g];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns) {
        for (const match of text.matchAll(pattern)) used.set(match[1]!, relative(root, file));
      }
      // Template keys such as m(`fraudTips.tip.${topic}`): check the prefix exists.
      for (const match of text.matchAll(/\bm\(\s*`([a-zA-Z][\w.]*)\.\$\{/g)) {
        const prefix = `${match[1]}.`;
        if (![...vi].some((k) => k.startsWith(prefix))) used.set(`${prefix}*`, relative(root, file));
      }
    }
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter(([key]) => key.endsWith('*') || !vi.has(key)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it('defines every key the staff console uses', () => {
    const files = sourceFiles(join(root, 'src', 'console', 'public'), '.js');
    const used = new Map<string, string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'(console[A-Za-z]*\.[\w.]+)'/g)) used.set(match[1]!, relative(root, file));
      // A page's shorthand, e.g. `const tr = (key, vars) => t(\`consoleReviews.${key}\`, vars)`, then tr('title') or tr(ctx, 'title').
      const shorthand = /const tr = \([^)]*\) => (?:ctx\.)?t\(`(console[A-Za-z]*)\.\$\{key\}`/.exec(text)?.[1];
      if (shorthand) {
        for (const match of text.matchAll(/\btr\(\s*(?:ctx\s*,\s*)?'([\w.]+)'/g)) used.set(`${shorthand}.${match[1]}`, relative(root, file));
      }
      // t(`consoleFraud.status.${status}`): the prefix must exist.
      for (const match of text.matchAll(/\bt\(\s*`(console[A-Za-z]*\.[\w.]*)\$\{/g)) {
        const prefix = match[1]!.endsWith('.') ? match[1]! : `${match[1]}.`;
        if (![...vi].some((k) => k.startsWith(prefix))) used.set(`${prefix}*`, relative(root, file));
      }
    }
    expect(used.size).toBeGreaterThan(20);
    const missing = [...used].filter(([key]) => key.endsWith('*') || !(vi.has(key) || vi.has(`${key}_other`))).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it('keeps every chat message within 300 characters (project guide: one short idea per message)', async () => {
    // Staff-console page text is shown in a browser, not sent to pensioners as a chat message.
    const notChat = ['console', 'consoleBroadcasts', 'consoleDashboard', 'consoleFraud', 'consoleImports', 'consoleReviews'];
    const translator = await Translator.create(resources);
    for (const locale of ['vi', 'en'] as const) {
      const tooLong = leafKeys(resources[locale])
        .filter((key) => !notChat.includes(key.split('.')[0]!))
        .map((key) => [key, String(key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], resources[locale]))] as const)
        .filter(([, value]) => value.length > 300)
        .map(([key, value]) => `${key} (${value.length})`);
      expect(tooLong, `chat messages over 300 characters in ${locale}`).toEqual([]);
      // The longest history, as sent (each nested row template is short; the message they make must be too). Six rows, each with an 8-digit amount (above any pension) and the wordiest status.
      const params: Record<string, string> = {};
      for (let i = 1; i <= 6; i++) Object.assign(params, { [`p${i}`]: '12/2026', [`a${i}`]: formatVnd(99_999_999), [`s${i}`]: 'awaiting_cash_pickup' });
      const history = translator.t(locale, { key: 'paymentStatus.history.n6', params });
      expect(history).not.toContain('$t(');
      expect(history.length, `paymentStatus.history.n6 as sent in ${locale}`).toBeLessThanOrEqual(300);
    }
  });

  it('never asks for an OTP, PIN or password, and says so in the help text', () => {
    const help = String((resources.vi.engine as Record<string, string>).help);
    expect(help).toMatch(/KHÔNG BAO GIỜ hỏi mã OTP/);
  });
});
