import { z } from 'zod';
import { foldName } from '../validators/name-match.js';
import pinned from './napas-banks.json' with { type: 'json' };

/** A bank that can receive pensions, identified by its NAPAS/VietQR BIN. */
export interface Bank {
  readonly bin: string;
  /** The name people know: "Vietcombank". */
  readonly shortName: string;
  /** Full legal name in Vietnamese: "Ngân hàng TMCP Ngoại thương Việt Nam". */
  readonly name: string;
  /** Stock codes, former names and the distinctive part of the full name. */
  readonly aliases: readonly string[];
}

const fileSchema = z.object({
  source: z.string().min(1),
  pinnedOn: z.iso.date(),
  banks: z
    .array(
      z.object({
        bin: z.string().regex(/^\d{6}$/),
        shortName: z.string().min(1),
        name: z.string().min(1),
        aliases: z.array(z.string().min(1)),
      }),
    )
    .min(1),
});

/** Shown first when a pensioner is asked to pick a bank: where most pension accounts are. */
const POPULAR_BINS = ['970405', '970436', '970415', '970418', '970449', '970403'] as const;

interface Indexed {
  bank: Bank;
  /** Folded shortName and aliases without spaces: "vietcombank", "vcb", "ngoaithuong". */
  codes: string[];
  /** Folded shortName, aliases and full name, spaces kept, for word matches. */
  phrases: string[];
  /** Folded full name without the generic "ngan hang tmcp" lead: "cong thuong viet nam". */
  nameCore: string;
}

const BANKS: readonly Bank[] = loadBanks();
const BY_BIN: ReadonlyMap<string, Bank> = new Map(BANKS.map((bank) => [bank.bin, bank]));
const INDEX: readonly Indexed[] = BANKS.map(indexBank);
const POPULAR: readonly Bank[] = POPULAR_BINS.map((bin) => {
  const bank = BY_BIN.get(bin);
  if (!bank) throw new Error(`napas-banks.json: popular bank ${bin} is missing`);
  return bank;
});

/**
 * Finds banks from what a person typed, ignoring case and diacritics:
 * "vietcom" → Vietcombank, "cong thuong" → VietinBank, "agri" → Agribank,
 * "970436" → Vietcombank. A leading "ngân hàng"/"NH" is ignored.
 *
 * Ranked: exact short name or alias, then prefix, then a match at the start
 * of a word anywhere in the names, then a substring of a short name; ties
 * keep the list's order, which puts the banks most pensioners use first.
 */
export function findBanks(typed: string, limit = 5): Bank[] {
  if (limit <= 0) return [];
  const query = fold(typed).replace(/^(?:ngan hang|nh)(?:\s+|$)/, '');
  if (query === '') return [];
  const compact = query.replace(/ /g, '');
  if (/^\d{6}$/.test(compact)) {
    const bank = BY_BIN.get(compact);
    return bank ? [bank] : [];
  }

  return INDEX.map((entry, order) => ({ entry, order, rank: rank(entry, query, compact) }))
    .filter((hit): hit is { entry: Indexed; order: number; rank: number } => hit.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .slice(0, limit)
    .map((hit) => hit.entry.bank);
}

/** The bank with this BIN, if it is in the pinned list. */
export function bankByBin(bin: string): Bank | undefined {
  return BY_BIN.get(bin.trim());
}

/** The six banks most pensioners use, for a short list of buttons. */
export function popularBanks(): readonly Bank[] {
  return POPULAR;
}

/** Every bank in the pinned list, most used first. */
export function allBanks(): readonly Bank[] {
  return BANKS;
}

/** Lower rank is a better match; undefined is no match. */
function rank(entry: Indexed, query: string, compact: string): number | undefined {
  if (entry.codes.includes(compact)) return 0;
  if (entry.codes.some((code) => code.startsWith(compact)) || entry.nameCore.startsWith(query)) return 1;
  if (entry.phrases.some((phrase) => ` ${phrase}`.includes(` ${query}`))) return 2;
  // Substrings only from 3 letters: "vi" would match half the list.
  if (compact.length >= 3 && entry.codes.some((code) => code.includes(compact))) return 3;
  return undefined;
}

function indexBank(bank: Bank): Indexed {
  const labels = [bank.shortName, ...bank.aliases].map(fold);
  const name = fold(bank.name);
  return {
    bank,
    codes: labels.map((label) => label.replace(/ /g, '')),
    phrases: [...labels, name],
    nameCore: name.replace(/^(?:(?:ngan hang|thuong mai|tmcp|tnhh|mtv)\s+)+/, ''),
  };
}

function fold(text: string): string {
  return foldName(text).toLowerCase();
}

/** Validates the pinned file once at start-up, so a bad edit fails the boot, not a pensioner's request. */
function loadBanks(): readonly Bank[] {
  const file = fileSchema.parse(pinned);
  const seen = new Set<string>();
  for (const bank of file.banks) {
    if (seen.has(bank.bin)) throw new Error(`napas-banks.json: BIN ${bank.bin} appears twice`);
    seen.add(bank.bin);
  }
  return Object.freeze(file.banks.map((bank) => Object.freeze({ ...bank, aliases: Object.freeze([...bank.aliases]) })));
}
