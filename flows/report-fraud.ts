import { defineFlow, m, next, retry, say, toMenu, type Feature, type MenuEntry } from '../src/engine/flow.js';
import type { Msg, Reply } from '../src/messaging/types.js';
import {
  CONTACT_MAX,
  FRAUD_CATEGORIES,
  type FraudCategory,
  DESCRIPTION_MAX,
  DESCRIPTION_MIN,
  MAX_PHOTOS,
  MIN_AMOUNT_LOST,
  contactInStory,
  redactSecrets,
  type SafetyAdvice,
} from '../src/domain/fraud.js';
import { formatVnd, parseVndAmount } from '../src/domain/validators/money.js';

/**
 * What the report has so far. The description is kept already stripped of
 * anything that looks like a code or card number, so the raw digits never
 * reach the conversation state either.
 */
interface ReportData {
  category?: FraudCategory;
  description?: string;
  contact?: string | null;
  moneyLost?: boolean;
  amount?: number | null;
  photos: string[];
}

const initial = (): ReportData => ({ photos: [] });

/** The report as the user will read it back before sending. */
function summary(data: ReportData): Msg[] {
  const lines: Msg[] = [m('reportFraud.summary.title')];
  if (data.category) lines.push(m(`reportFraud.summaryCategory.${data.category}`));
  lines.push(m('reportFraud.summary.description', { text: data.description ?? '' }));
  lines.push(data.contact ? m('reportFraud.summary.contact', { contact: data.contact }) : m('reportFraud.summary.noContact'));
  lines.push(
    data.moneyLost && data.amount ? m('reportFraud.summary.moneyLost', { amount: formatVnd(data.amount) }) : m('reportFraud.summary.noMoneyLost'),
  );
  lines.push(m('reportFraud.summary.photos', { count: data.photos.length }));
  return lines;
}

/** Safety advice, most urgent first, as one message the user can keep. */
function adviceReply(advice: SafetyAdvice[], hotline: string): Reply {
  return say(m('reportFraud.adviceTitle'), ...advice.map((a) => m(`reportFraud.advice.${a}`, { hotline })));
}

/**
 * "Report a scam": what kind, what happened, the scammer's contact, money lost,
 * screenshots, then a case number and advice the reporter can act on at once.
 */
export const reportFraudFlow = defineFlow<ReportData>({
  id: 'report-fraud',
  version: 1,
  start: 'category',
  initial,
  steps: {
    category: {
      prompt: () => ({ text: [m('reportFraud.intro'), m('reportFraud.askCategory')] }),
      choices: () => FRAUD_CATEGORIES.map((c) => ({ id: c, label: m(`reportFraud.category.${c}`) })),
      handle: (input, ctx) => {
        const category = FRAUD_CATEGORIES.find((c) => input.type === 'choice' && input.id === c);
        if (!category) return retry(m('engine.notUnderstood'));
        return next('description', { ...ctx.data, category });
      },
    },
    description: {
      prompt: () => ({ text: [m('reportFraud.askDescription')] }),
      accepts: ['text'],
      handle: (input, ctx) => {
        if (input.type !== 'text') return retry(m('engine.notUnderstood'));
        if (input.text.length < DESCRIPTION_MIN) return retry(m('reportFraud.descriptionTooShort'));
        if (input.text.length > DESCRIPTION_MAX) return retry(m('reportFraud.descriptionTooLong'));
        const { text, redacted } = redactSecrets(input.text);
        const warn = redacted ? [say(m('reportFraud.redactedWarning'))] : [];
        // A number or link already in the story is taken from it, not asked again.
        const found = contactInStory(input.text);
        if (found && found.length <= CONTACT_MAX) {
          return next('moneyLost', { ...ctx.data, description: text, contact: found }, ...warn, say(m('reportFraud.contactFromStory', { contact: found })));
        }
        return next('contact', { ...ctx.data, description: text }, ...warn);
      },
    },
    contact: {
      prompt: () => ({ text: [m('reportFraud.askContact')] }),
      choices: () => [{ id: 'skip', label: m('reportFraud.skipContact'), aliases: ['khong co', 'khong', 'bo qua', 'none', 'skip'] }],
      accepts: ['text'],
      handle: (input, ctx) => {
        if (input.type === 'choice') return next('moneyLost', { ...ctx.data, contact: null });
        if (input.type !== 'text') return retry(m('engine.notUnderstood'));
        if (input.text.length > CONTACT_MAX) return retry(m('reportFraud.contactTooLong'));
        const { text, redacted } = redactSecrets(input.text, { keepLongNumbers: true });
        const warn = redacted ? [say(m('reportFraud.redactedWarning'))] : [];
        return next('moneyLost', { ...ctx.data, contact: text }, ...warn);
      },
    },
    moneyLost: {
      prompt: () => ({ text: [m('reportFraud.askMoneyLost')] }),
      choices: () => [
        { id: 'yes', label: m('reportFraud.yes'), aliases: ['co', 'yes', 'mat tien'] },
        { id: 'no', label: m('reportFraud.no'), aliases: ['khong', 'no'] },
      ],
      handle: (input, ctx) => {
        if (input.type !== 'choice') return retry(m('engine.notUnderstood'));
        if (input.id === 'yes') return next('amount', { ...ctx.data, moneyLost: true });
        return next('photos', { ...ctx.data, moneyLost: false, amount: null });
      },
    },
    amount: {
      prompt: () => ({ text: [m('reportFraud.askAmount')] }),
      accepts: ['text'],
      handle: (input, ctx) => {
        if (input.type !== 'text') return retry(m('engine.notUnderstood'));
        const parsed = parseVndAmount(input.text);
        if (!parsed.ok) {
          const reason = parsed.reason === 'unit' || parsed.reason === 'ambiguous' ? parsed.reason : 'format';
          return retry(m(`reportFraud.amountError.${reason}`));
        }
        if (parsed.value < MIN_AMOUNT_LOST) return retry(m('reportFraud.amountError.tooSmall'));
        return next('photos', { ...ctx.data, amount: parsed.value });
      },
    },
    photos: {
      prompt: (ctx) => ({
        text: [ctx.data.photos.length === 0 ? m('reportFraud.askPhotos') : m('reportFraud.photoReceived', { count: ctx.data.photos.length })],
      }),
      choices: (ctx) =>
        ctx.data.photos.length === 0
          ? [{ id: 'none', label: m('reportFraud.noPhoto'), aliases: ['khong co anh', 'khong co', 'no photo', 'none'] }]
          : [{ id: 'done', label: m('reportFraud.photosDone'), aliases: ['xong', 'done', 'het', 'xong roi'] }],
      accepts: ['photo'],
      handle: (input, ctx) => {
        if (input.type === 'choice') return next('confirm', ctx.data);
        if (input.type !== 'photo') return retry(m('engine.notUnderstood'));
        const photos = [...ctx.data.photos, input.fileRef];
        if (photos.length >= MAX_PHOTOS) return next('confirm', { ...ctx.data, photos }, say(m('reportFraud.photosMax', { count: photos.length })));
        return next('photos', { ...ctx.data, photos });
      },
    },
    confirm: {
      prompt: (ctx) => ({ text: [...summary(ctx.data), m('reportFraud.askConfirm')] }),
      choices: () => [
        { id: 'send', label: m('reportFraud.confirm'), aliases: ['gui', 'send', 'co'] },
        { id: 'restart', label: m('reportFraud.restart'), aliases: ['lam lai', 'start again'] },
      ],
      handle: async (input, ctx) => {
        if (input.type !== 'choice') return retry(m('engine.notUnderstood'));
        if (input.id === 'restart') return next('category', initial());
        const data = ctx.data;
        if (!data.category || !data.description || data.moneyLost === undefined) return next('category', initial());
        const receipt = await ctx.services.domain.fraud.report({
          chat: ctx.chat,
          locale: ctx.locale,
          category: data.category,
          description: data.description,
          scammerContact: data.contact ?? null,
          moneyLost: data.moneyLost,
          amountLost: data.moneyLost ? (data.amount ?? null) : null,
          photoRefs: data.photos,
        });
        const done = receipt.severity === 'urgent' ? 'reportFraud.submittedUrgent' : 'reportFraud.submitted';
        return toMenu(say(m(done, { caseNumber: receipt.caseNumber })), adviceReply(receipt.advice, ctx.services.settings.bhxhHotline));
      },
    },
  },
});

const menu: MenuEntry = {
  flow: 'report-fraud',
  label: m('reportFraud.menuLabel'),
  aliases: ['bao cao lua dao', 'to cao', 'bi lua', 'report scam', 'report fraud'],
  order: 50,
};

/** Fraud reports from chat users; staff triage them through the admin API. */
export const reportFraudFeature: Feature = { flows: [reportFraudFlow], menu: [menu] };
