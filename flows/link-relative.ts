import { defineFlow, m, next, retry, say, toMenu, type Feature, type Outcome } from '../src/engine/flow.js';
import type { Reply } from '../src/messaging/types.js';
import { RELATIONSHIPS, type LinkDocument, type Relationship } from '../src/vocabulary/links.js';
import { CONSENT_VERSION } from '../src/domain/consent.js';
import { parseDate, formatDate, isoDate, vietnamToday } from '../src/domain/validators/dates.js';
import { consentStep, dateError, gateStep, lockedReply, parseIdentifier, type IdentifierData } from './link-self.js';

/** A beneficiary the relative proved to know (identifier and date of birth matched). */
interface Verified {
  beneficiaryId: string;
  name: string;
  code: string;
}

interface RelativeData extends IdentifierData {
  consented?: boolean;
  relationship?: Relationship;
  person?: Verified;
  docNumber?: string;
  docIssuedOn?: string;
  docIssuer?: string;
  docExpiresOn?: string;
  photoRef?: string;
}

const RELATIONSHIP_ALIASES: Record<Relationship, string[]> = {
  child: ['con', 'con trai', 'con gai', 'child', 'son', 'daughter'],
  spouse: ['vo', 'chong', 'vo chong', 'spouse', 'wife', 'husband'],
  grandchild: ['chau', 'grandchild'],
  guardian: ['giam ho', 'nguoi giam ho', 'guardian'],
  other: ['khac', 'other'],
};

/** An authorisation to receive a pension lasts at most 12 months (Social Insurance Law 2024). */
const MAX_AUTHORISATION_MONTHS = 12;

const isGuardian = (data: RelativeData) => data.relationship === 'guardian';
const docKey = (data: RelativeData) => (isGuardian(data) ? 'guardianship' : 'authorisation');

/** Back to the identifier step after a failed check, keeping only what cannot be wrong. */
const restart = (data: RelativeData, ...why: Reply[]): Outcome<RelativeData> =>
  next('identifier', { consented: true, ...(data.relationship ? { relationship: data.relationship } : {}) }, ...why);

/** "YYYY-MM-DD" → "dd/mm/yyyy" for display. */
function display(iso: string | undefined): string {
  const [year = 0, month = 0, day = 0] = (iso ?? '').split('-').map(Number);
  return formatDate({ year, month, day });
}

/** The same day a year later, as "YYYY-MM-DD" (compares correctly as a string). */
function monthsLater(iso: string, months: number): string {
  const [year = 0, month = 1, day = 1] = iso.split('-').map(Number);
  const total = month - 1 + months;
  return `${year + Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * "Register for a relative": a son or daughter (or guardian) registers to act
 * for a beneficiary. The link waits for staff to check the paper; until then
 * the relative can do nothing for that person.
 */
export const linkRelativeFlow = defineFlow<RelativeData>({
  id: 'link-relative',
  version: 1,
  start: 'gate',
  initial: () => ({}),
  steps: {
    gate: gateStep<RelativeData>('relationship'),
    consent: consentStep<RelativeData>('relationship'),
    relationship: {
      prompt: () => say(m('linkRelative.askRelationship')),
      choices: () => RELATIONSHIPS.map((r) => ({ id: r, label: m(`linkRelative.relationship.${r}`), aliases: RELATIONSHIP_ALIASES[r] })),
      handle: (input) => {
        const relationship = RELATIONSHIPS.find((r) => input.type === 'choice' && input.id === r);
        if (!relationship) return retry(m('linkRelative.askRelationship'));
        return next('identifier', { consented: true, relationship }, ...(relationship === 'guardian' ? [] : [say(m('linkRelative.authorisationNote'))]));
      },
    },
    identifier: {
      prompt: () => say(m('linkRelative.askIdentifier')),
      accepts: ['text'],
      handle: async (input, ctx) => {
        if (input.type !== 'text') return retry(m('linkSelf.idError.length'));
        const parsed = parseIdentifier(input.text);
        if (!parsed.ok) return retry(parsed.error);
        const { identity } = ctx.services.domain;
        const beneficiaryId = await identity.findBeneficiaryId(parsed.kind, parsed.value);
        const locked = await identity.lockedUntil(ctx.chat, beneficiaryId);
        if (locked) return toMenu(lockedReply(locked, ctx.services.settings.bhxhHotline));
        const data: RelativeData = { consented: true, relationship: ctx.data.relationship, idKind: parsed.kind, beneficiaryId };
        if (parsed.cccdYear !== undefined) data.cccdYear = parsed.cccdYear;
        return next('birthDate', data);
      },
    },
    birthDate: {
      prompt: () => say(m('linkRelative.askBirthDate')),
      accepts: ['text'],
      handle: async (input, ctx) => {
        if (input.type !== 'text') return retry(m('linkSelf.dateError.format'));
        const date = parseDate(input.text);
        if (!date.ok) return retry(dateError(date.reason));
        if (ctx.data.idKind === 'cccd' && ctx.data.cccdYear !== undefined && ctx.data.cccdYear !== date.value.year) {
          return restart(ctx.data, say(m('linkSelf.cccdYearMismatch')));
        }
        if (ctx.data.beneficiaryId === undefined) return restart(ctx.data);
        const { identity, links } = ctx.services.domain;
        const result = await identity.verifyRelative(ctx.chat, { beneficiaryId: ctx.data.beneficiaryId, birthDate: isoDate(date.value) });
        if (result.status === 'locked') return toMenu(say(m('linkSelf.mismatch')), lockedReply(result.until, ctx.services.settings.bhxhHotline));
        if (result.status === 'mismatch') return restart(ctx.data, say(m('linkSelf.mismatch'), m('linkRelative.mismatchHint', { left: result.triesLeft })));
        const person = result.beneficiary;
        const open = await links.openLinkStatus(ctx.chat, person.beneficiaryId);
        if (open === 'active') return toMenu(say(m('linkRelative.alreadyActive', { name: person.fullName })));
        if (open === 'pending') return toMenu(say(m('linkRelative.alreadyPending', { name: person.fullName })));
        const verified: Verified = { beneficiaryId: person.beneficiaryId, name: person.fullName, code: person.bhxhCodeMasked };
        return next('docNumber', { consented: true, relationship: ctx.data.relationship, person: verified });
      },
    },
    docNumber: {
      prompt: (ctx) => say(m(`linkRelative.askDocNumber.${docKey(ctx.data)}`)),
      accepts: ['text'],
      handle: (input, ctx) => {
        const text = input.type === 'text' ? input.text.trim() : '';
        if (text.length < 1 || text.length > 50) return retry(m('linkRelative.docNumberError'));
        return next('docIssued', { ...ctx.data, docNumber: text });
      },
    },
    docIssued: {
      prompt: () => say(m('linkRelative.askDocIssued')),
      accepts: ['text'],
      handle: (input, ctx) => {
        const date = parseDate(input.type === 'text' ? input.text : '');
        if (!date.ok) return retry(date.reason === 'future' ? m('linkRelative.issuedFuture') : dateError(date.reason));
        return next('docIssuer', { ...ctx.data, docIssuedOn: isoDate(date.value) });
      },
    },
    docIssuer: {
      prompt: () => say(m('linkRelative.askDocIssuer')),
      accepts: ['text'],
      handle: (input, ctx) => {
        const text = input.type === 'text' ? input.text.trim().replace(/\s+/g, ' ') : '';
        if (text.length < 3 || text.length > 200) return retry(m('linkRelative.docIssuerError'));
        return next(isGuardian(ctx.data) ? 'photo' : 'docExpiry', { ...ctx.data, docIssuer: text });
      },
    },
    docExpiry: {
      prompt: () => say(m('linkRelative.askDocExpiry')),
      accepts: ['text'],
      handle: (input, ctx) => {
        // An expiry lies ahead, so "the future" is allowed here; far-off years fail the 12-month rule below.
        const now = new Date();
        const date = parseDate(input.type === 'text' ? input.text : '', new Date(now.getTime() + 5 * 366 * 24 * 3600 * 1000));
        if (!date.ok) return retry(dateError(date.reason === 'future' ? 'format' : date.reason));
        const expires = isoDate(date.value);
        const issued = ctx.data.docIssuedOn ?? '';
        if (expires <= issued) return retry(m('linkRelative.expiryBeforeIssue', { issued: display(issued) }));
        const latest = monthsLater(issued, MAX_AUTHORISATION_MONTHS);
        if (expires > latest) return retry(m('linkRelative.expiryTooLong', { issued: display(issued), latest: display(latest) }));
        if (expires < isoDate(vietnamToday(now))) return retry(m('linkRelative.expiryPast'));
        return next('photo', { ...ctx.data, docExpiresOn: expires });
      },
    },
    photo: {
      prompt: (ctx) => say(m(`linkRelative.askPhoto.${docKey(ctx.data)}`)),
      accepts: ['photo', 'text'],
      handle: (input, ctx) => {
        if (input.type !== 'photo') return retry(m('linkRelative.photoNeeded'));
        return next('summary', { ...ctx.data, photoRef: input.fileRef });
      },
    },
    summary: {
      prompt: (ctx) => {
        const d = ctx.data;
        const lines = [
          m('linkRelative.summary.title'),
          m('linkRelative.summary.person', { name: d.person?.name ?? '', code: d.person?.code ?? '' }),
          m(`linkRelative.summary.relationship.${d.relationship ?? 'other'}`),
          m(`linkRelative.summary.doc.${docKey(d)}`, { number: d.docNumber ?? '', issued: display(d.docIssuedOn), issuer: d.docIssuer ?? '' }),
        ];
        if (d.docExpiresOn) lines.push(m('linkRelative.summary.expires', { date: display(d.docExpiresOn) }));
        lines.push(m('linkRelative.summary.photo'), m('linkRelative.summary.question'));
        return say(...lines);
      },
      choices: () => [
        { id: 'confirm', label: m('linkRelative.confirm'), aliases: ['dung', 'xac nhan', 'gui', 'confirm', 'yes'] },
        { id: 'again', label: m('linkRelative.startOver'), aliases: ['lam lai', 'nhap lai', 'start over'] },
      ],
      handle: async (input, ctx) => {
        const d = ctx.data;
        if (input.type !== 'choice' || input.id !== 'confirm') return next('relationship', { consented: true });
        if (!d.person || !d.relationship || !d.docNumber || !d.docIssuedOn || !d.docIssuer || !d.photoRef) return next('relationship', { consented: true });
        const document: LinkDocument = {
          kind: docKey(d),
          number: d.docNumber,
          issuedOn: d.docIssuedOn,
          issuer: d.docIssuer,
          photoRef: d.photoRef,
          ...(d.docExpiresOn ? { expiresOn: d.docExpiresOn } : {}),
        };
        const { reference } = await ctx.services.domain.links.createRelativeLink(ctx.chat, {
          beneficiaryId: d.person.beneficiaryId,
          relationship: d.relationship,
          document,
          consentVersion: CONSENT_VERSION,
        });
        return toMenu(say(m('linkRelative.submitted', { reference, name: d.person.name }), m('linkRelative.whatHappensNext')));
      },
    },
  },
});

export const linkRelativeFeature: Feature = {
  flows: [linkRelativeFlow],
  menu: [
    {
      flow: 'link-relative',
      label: m('linkRelative.menuLabel'),
      aliases: ['dang ky cho nguoi than', 'nguoi than', 'uy quyen', 'relative'],
      order: 20,
    },
  ],
};
