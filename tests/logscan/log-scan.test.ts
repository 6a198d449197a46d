import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOG_DIR } from '../support/log-files.js';

/**
 * Runs after the whole suite (see the `test` script): every log line any test
 * app wrote is searched for every identifier the tests used — CCCD, BHXH codes,
 * phone and account numbers found in the test sources. Zero hits allowed.
 */
const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'logscan' ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Digit runs of identifier length (6-19, allowing spaces and dots between groups) in the test code. */
function identifiersUsed(): Set<string> {
  const found = new Set<string>();
  for (const file of sources(join(root, 'tests'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/['"`](\+?\d[\d .]{5,22}\d)['"`]/g)) {
      const digits = match[1]!.replace(/[ .]/g, '');
      if (digits.length < 9 || digits.length > 19) continue;
      // Skip obvious non-identifiers: money amounts and timestamps used as test data.
      if (/^\d0+$/.test(digits) || /^(19|20)\d{6}$/.test(digits)) continue;
      found.add(digits.replace(/^\+/, ''));
      if (digits.startsWith('+84')) found.add(`0${digits.slice(3)}`);
      if (digits.startsWith('0') && digits.length === 10) found.add(`84${digits.slice(1)}`);
    }
  }
  return found;
}

describe('log scan', () => {
  const files = readdirSync(LOG_DIR).filter((f) => f.endsWith('.jsonl'));
  const lines = files.flatMap((f) => readFileSync(join(LOG_DIR, f), 'utf8').split('\n').filter(Boolean));
  const identifiers = identifiersUsed();

  it('has the logs of a real run to scan', () => {
    expect(lines.length).toBeGreaterThan(100);
    expect(identifiers.size).toBeGreaterThan(5);
  });

  it('finds no identifier used by the tests in any log line', () => {
    const hits: string[] = [];
    for (const line of lines) {
      const digitsOnly = line.replace(/[ .]/g, '');
      for (const id of identifiers) if (digitsOnly.includes(id)) hits.push(`${id} in ${line.slice(0, 200)}`);
    }
    expect(hits).toEqual([]);
  });
});
