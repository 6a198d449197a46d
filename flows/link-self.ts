import { defineFlow, m, next, retry, say, startFlow, toMenu, type Feature, type Outcome, type StepContext, type StepDef } from '../src/engine/flow.js';
import type { Msg, Reply } from '../src/messaging/types.js';
import { CONSENT_VERSION } from '../src/domain/consent.js';
import { vietnamDateTime, type IdentifierKind } from '../src/domain/identity.js';
import { parseBhxhCode } from '../src/domain/validators/bhxh-code.js';
import { parseCccd } from '../src/domain/validators/cccd.js';
import { isoDate, parseDate } from '../src/domain/validators/dates.js';
import { normalizePhone } from '../src/domain/validators/phone.js';

/**
 * What the identifier step keeps. Never the identifier itself: only which
 * kind it was, the record it names (null when none: the user must not learn
 * that until the end), and the CCCD's birth year for the date check.
 */
export interface IdentifierData {
  idKind?: IdentifierKind;
  beneficiaryId?: string | null;
  cccdYear?: number;
}

/** A typed identifier, or the message saying what to fix. */
export type ParsedIdentifier = { ok: true; kind: IdentifierKind; value: string; cccdYear?: number } | { ok: false; error: Msg };

/**
 * Reads a BHXH code (10 digits, or the 15 characters of an old health card)
 * or a CCCD (12 digits), telling them apart by length.
 */
export function parseIdentifier(text: string, now: Date = new Date()): ParsedIdentifier {
  const bhxh = parseBhxhCode(text);
  if (bhxh.ok) return { ok: true, kind: 'bhxh', value: bhxh.value };
  const cccd = parseCccd(text, now);
  if (cccd.ok) return { ok: true, kind: 'cccd', value: cccd.value.value, cccdYear: cccd.value.birthYear };
  switch (cccd.reason) {
    case 'letters':
      return { ok: false, error: m('linkSelf.idError.letters') };
    case 'old-id':
      return { ok: false, error: m('linkSelf.idError.oldId') };
    case 'province':
      return { ok: false, error: m('linkSelf.idError.cccdProvince') };
    case 'century':
    case 'future':
      return { ok: false, error: m('linkSelf.idError.cccdYear') };
    default:
      return { ok: false, error: m('linkSelf.idError.length') };
  }
}

/** "YYYY-MM-DD", the form records keep birth dates in. */
/** The message for a date that could not be read. */
export function dateError(reason: string): Msg {
  switch (reason) {
    case 'year':
      return m('linkSelf.dateError.year');
    case 'impossible':
      return m('linkSelf.dateError.impossible');
    case 'future':
      return m('linkSelf.dateError.future');
    case 'too-old':
      return m('linkSelf.dateError.tooOld');
    default:
      return m('linkSelf.dateError.format');
  }
}

/** "Self-service is locked until …, here is where to get help." Asks nothing. */
export function lockedReply(until: Date, hotline: string): Reply {
  const { time, date } = vietnamDateTime(until);
  return say(m('linkSelf.locked', { time, date, hotline }));
}

/** Data every linking flow carries: whether consent was given in this run. */
interface GateData {
  consented?: boolean;
}

/**
 * The first step of a linking flow, never shown: a locked chat is told so
 * before anything is asked, and the consent question is skipped when this chat
 * already accepted the current text.
 */
export function gateStep<D extends GateData>(afterConsent: string): StepDef<D> {
  return {
    prompt: () => say(m('consent.intro')),
    auto: () => ({ type: 'choice', id: 'go' }),
    handle: async (_input, ctx) => {
      const locked = await ctx.services.domain.identity.lockedUntil(ctx.chat);
      if (locked) return toMenu(lockedReply(locked, ctx.services.settings.bhxhHotline));
      if (await ctx.services.domain.chatUsers.hasConsented(ctx.chat, CONSENT_VERSION)) return next(afterConsent, { ...ctx.data, consented: true });
      return next('consent', ctx.data);
    },
  };
}

/** What is stored, why, how to erase it; "Đồng ý" records the version before anything else is saved. */
export function consentStep<D extends GateData>(afterConsent: string): StepDef<D> {
  return {
    prompt: () => say(m('consent.what'), m('consent.why'), m('consent.erase'), m('consent.question')),
    choices: () => [
      { id: 'agree', label: m('consent.agree'), aliases: ['dong y', 'co', 'yes', 'agree'] },
      { id: 'decline', label: m('consent.decline'), aliases: ['khong dong y', 'khong', 'no', 'decline'] },
    ],
    handle: async (input, ctx) => {
      if (input.type !== 'choice' || input.id !== 'agree') return toMenu(say(m('consent.declined')));
      await ctx.services.domain.chatUsers.recordConsent(ctx.chat, CONSENT_VERSION);
      return next(afterConsent, { ...ctx.data, consented: true });
    },
  };
}

interface SelfData extends GateData, IdentifierData {
  birthDate?: string;
  /** The flow that sent the person here to link first (a registration), to go back to once linked. */
  then?: string;
}

const fresh = (data: SelfData = {}): SelfData => ({ consented: true, ...(data.then ? { then: data.then } : {}) });

/** Starts the identifier step over, keeping nothing that was typed. */
const restartFrom = (data: SelfData, ...why: Reply[]): Outcome<SelfData> => next('identifier', fresh(data), ...why);

/** The menu entries worth offering right after linking: cashless payment (30) and payment status (40). */
const NEXT_STEP_ORDERS = new Set([30, 40]);

async function nextStepEntries(ctx: StepContext<SelfData>) {
  return (await ctx.services.menu(ctx.chat, ctx.locale)).filter((e) => NEXT_STEP_ORDERS.has(e.order));
}

/**
 * "Link my own record": consent, then BHXH code or CCCD, date of birth and
 * phone number, all checked against the record. Five failures in a day lock
 * the chat and the record (IdentityService).
 */
export const linkSelfFlow = defineFlow<SelfData>({
  id: 'link-self',
  version: 1,
  start: 'gate',
  initial: () => ({}),
  steps: {
    gate: gateStep<SelfData>('identifier'),
    consent: consentStep<SelfData>('identifier'),
    identifier: {
      prompt: () => say(m('linkSelf.askIdentifier')),
      accepts: ['text'],
      handle: async (input, ctx) => {
        if (input.type !== 'text') return retry(m('linkSelf.idError.length'));
        const parsed = parseIdentifier(input.text);
        if (!parsed.ok) return retry(parsed.error);
        const { identity, links } = ctx.services.domain;
        const beneficiaryId = await identity.findBeneficiaryId(parsed.kind, parsed.value);
        // Only this chat's own lock stops here: a record locked by others' failures may still open to its owner at the phone step.
        const locked = await identity.lockedUntil(ctx.chat);
        if (locked) return toMenu(lockedReply(locked, ctx.services.settings.bhxhHotline));
        // This chat already proved it holds the record: saying so reveals nothing new.
        if (beneficiaryId && (await links.canAct(ctx.chat, beneficiaryId))) return toMenu(say(m('linkSelf.alreadyLinked')));
        const data: SelfData = { ...fresh(ctx.data), idKind: parsed.kind, beneficiaryId };
        if (parsed.cccdYear !== undefined) data.cccdYear = parsed.cccdYear;
        return next('birthDate', data);
      },
    },
    birthDate: {
      prompt: () => say(m('linkSelf.askBirthDate')),
      accepts: ['text'],
      handle: (input, ctx) => {
        if (input.type !== 'text') return retry(m('linkSelf.dateError.format'));
        const date = parseDate(input.text);
        if (!date.ok) return retry(dateError(date.reason));
        // A format-level slip, caught before any check counts: ask for the number again.
        // (cccdAgreesWithBirthDate compares the same year; the CCCD itself is not kept in the state.)
        if (ctx.data.idKind === 'cccd' && ctx.data.cccdYear !== undefined && ctx.data.cccdYear !== date.value.year) {
          return restartFrom(ctx.data, say(m('linkSelf.cccdYearMismatch')));
        }
        return next('phone', { ...ctx.data, birthDate: isoDate(date.value) });
      },
    },
    phone: {
      prompt: () => ({ ...say(m('linkSelf.askPhone')), requestContact: true }),
      accepts: ['contact', 'text'],
      handle: async (input, ctx) => {
        if (input.type === 'contact' && !input.ownContact) return retry(m('linkSelf.notOwnContact'));
        const typed = input.type === 'contact' ? input.phone : input.type === 'text' ? input.text : '';
        const phone = normalizePhone(typed);
        if (!phone.ok) return retry(m(phone.reason === 'landline' ? 'linkSelf.phoneError.landline' : 'linkSelf.phoneError.format'));
        if (ctx.data.beneficiaryId === undefined || ctx.data.birthDate === undefined) return restartFrom(ctx.data);
        const result = await ctx.services.domain.identity.verifySelf(ctx.chat, {
          beneficiaryId: ctx.data.beneficiaryId,
          birthDate: ctx.data.birthDate,
          phone: phone.value,
          verifiedPhone: input.type === 'contact' && input.ownContact,
        });
        if (result.status === 'locked') {
          const replies = [say(m('linkSelf.mismatch')), lockedReply(result.until, ctx.services.settings.bhxhHotline)];
          if (input.type !== 'contact') replies.push(say(m('linkSelf.lockedShareHint')));
          return toMenu(...replies);
        }
        if (result.status === 'mismatch') return restartFrom(ctx.data, say(m('linkSelf.mismatch'), m('linkSelf.mismatchHint', { left: result.triesLeft })));
        const person = result.beneficiary;
        await ctx.services.domain.links.createSelfLink(ctx.chat, person.beneficiaryId, CONSENT_VERSION);
        const done = say(m('linkSelf.success', { name: person.fullName, code: person.bhxhCodeMasked }));
        // Sent here by a registration: back to it, without asking what next.
        const then = ctx.data.then;
        if (then && (await ctx.services.menu(ctx.chat, ctx.locale)).some((e) => e.flow === then)) return startFlow(then, done);
        if ((await nextStepEntries(ctx)).length === 0) return toMenu(done);
        return next('whatNext', fresh(), done);
      },
    },
    whatNext: {
      prompt: () => say(m('linkSelf.whatNext')),
      choices: async (ctx) => (await nextStepEntries(ctx)).map((e) => ({ id: e.flow, label: e.label, aliases: e.aliases })),
      handle: async (input, ctx) => {
        const entries = await nextStepEntries(ctx);
        if (input.type === 'choice' && entries.some((e) => e.flow === input.id)) return startFlow(input.id);
        return toMenu();
      },
    },
  },
});

export const linkSelfFeature: Feature = {
  flows: [linkSelfFlow],
  menu: [{ flow: 'link-self', label: m('linkSelf.menuLabel'), aliases: ['lien ket', 'link', 'ho so cua toi'], order: 10 }],
};
