import {
  defineFlow,
  m,
  next,
  retry,
  say,
  toMenu,
  type ActionHandler,
  type Feature,
  type Outcome,
  type StepContext,
  type StepInput,
} from '../src/engine/flow.js';
import type { Choice, Msg } from '../src/messaging/types.js';
import { bankByBin, findBanks, popularBanks, type Bank } from '../src/domain/banks/bank-directory.js';
import {
  HOME_REASONS,
  WALLET_PROVIDERS,
  methodSummary,
  type Eligibility,
  type HomeReason,
  type NewMethod,
  type SubmitResult,
  type WalletProviderId,
} from '../src/domain/payment-methods.js';
import { parseTypedBankAccount } from '../src/domain/validators/bank-account.js';
import { normalizePhone } from '../src/domain/validators/phone.js';
import { readAccountFromPhoto } from '../src/domain/vietqr/photo.js';
import { fold } from '../src/messaging/normalize.js';
import { pickBeneficiaryStep, type WithBeneficiary } from './shared/pick-beneficiary.js';

type MethodKind = 'bank' | 'ewallet' | 'cash_post' | 'cash_home';

/**
 * Conversation state. Account and wallet numbers are kept only sealed
 * (encrypted by the domain) with their masked form for display.
 */
export interface CashlessData extends WithBeneficiary {
  withinMinInterval?: boolean;
  method?: MethodKind;
  bankBin?: string;
  /** BINs offered when a typed name matched several banks. */
  bankOptions?: string[];
  accountSealed?: string;
  accountMasked?: string;
  holderName?: string;
  nameMatches?: boolean;
  /** The holder name was taken from the register, not typed: the summary says so and offers to change it. */
  holderProposed?: boolean;
  walletProvider?: WalletProviderId;
  homeReason?: HomeReason;
}

type Ctx = StepContext<CashlessData>;

const BANK_PREFIX = 'bin:';
const WALLET_PREFIX = 'w:';
const MAX_HOLDER_NAME = 80;

const bankChoice = (bank: Bank): Choice => ({
  id: `${BANK_PREFIX}${bank.bin}`,
  // No aliases: a typed name goes to findBanks, which ranks every bank, rather
  // than silently matching one of the few buttons ("sai gon" is four banks).
  label: m('cashless.bank.label', { name: bank.shortName }),
});

/** Only what the beneficiary chose stays when they go back to pick another method. */
const restart = (data: CashlessData): CashlessData => ({
  ...(data.beneficiaryId ? { beneficiaryId: data.beneficiaryId } : {}),
  ...(data.withinMinInterval ? { withinMinInterval: true } : {}),
});

function blocked(result: Exclude<Eligibility | SubmitResult, { ok: true }>, ctx: Ctx): Outcome<CashlessData> {
  const hotline = ctx.services.settings.bhxhHotline;
  switch (result.reason) {
    case 'frozen':
      return toMenu(say(m('cashless.blocked.frozen', { hotline })));
    case 'pending':
      return toMenu(say(m('cashless.blocked.pending', { reference: result.reference, hotline })));
    case 'same_as_current':
      return toMenu(say(m('cashless.blocked.sameAsCurrent')));
    case 'not_found':
    case 'not_allowed':
      return toMenu(say(m('cashless.blocked.notAllowed')));
  }
}

function chooseBank(bank: Bank, ctx: Ctx): Outcome<CashlessData> {
  const data: CashlessData = { ...ctx.data, bankBin: bank.bin };
  delete data.bankOptions;
  // Changing only the bank from the summary keeps the account and holder.
  if (data.accountSealed && data.holderName) return next('summary', data, say(m('cashless.bank.chosen', { name: bank.shortName })));
  return next('account', data, say(m('cashless.bank.chosen', { name: bank.shortName })));
}

function searchBank(typed: string, ctx: Ctx): Outcome<CashlessData> {
  const hits = findBanks(typed, 5);
  if (hits.length === 0) return next('bank', { ...ctx.data, bankOptions: [] }, say(m('cashless.bank.notFound')));
  if (hits.length === 1) return chooseBank(hits[0]!, ctx);
  return next('bankPick', { ...ctx.data, bankOptions: hits.map((b) => b.bin) });
}

/** A bank tapped from a list, or part of its name typed (both bank steps answer alike). */
function bankAnswer(input: StepInput, ctx: Ctx): Outcome<CashlessData> | Promise<Outcome<CashlessData>> {
  if (input.type === 'choice') {
    const bank = bankByBin(input.id.slice(BANK_PREFIX.length));
    return bank ? chooseBank(bank, ctx) : retry(m('engine.notUnderstood'));
  }
  if (input.type === 'photo') return accountFromPhoto(input.fileRef, ctx);
  if (input.type !== 'text') return retry(m('engine.notUnderstood'));
  return searchBank(input.text, ctx);
}

/** "1500205123456" → "1500 2051 2345 6": easier to check against a passbook. */
const grouped = (digits: string): string => digits.replace(/(\d{4})(?=\d)/g, '$1 ');

/**
 * A photo of the account's VietQR code (bank app, card sleeve, passbook):
 * proposes the bank and account it names, or says in one line why not.
 */
async function accountFromPhoto(fileRef: string, ctx: Ctx): Promise<Outcome<CashlessData>> {
  const reading = await readAccountFromPhoto(ctx.services.photos, fileRef);
  switch (reading.kind) {
    case 'account': {
      const sealed = ctx.services.domain.paymentMethods.sealAccount(reading.account);
      const data: CashlessData = { ...ctx.data, method: 'bank', bankBin: reading.bank.bin, accountSealed: sealed.sealed, accountMasked: sealed.masked };
      delete data.bankOptions;
      return next('qrConfirm', data, say(m('cashless.qr.found', { bank: reading.bank.shortName, account: grouped(reading.account) })));
    }
    case 'card':
      return retry(m('cashless.qr.card'));
    case 'damaged':
      return retry(m('cashless.qr.damaged'));
    case 'not_vietqr':
      return retry(m('cashless.qr.notVietQr'));
    case 'unknown_bank':
      return retry(m('cashless.qr.unknownBank'));
    case 'unreadable':
      return retry(m('cashless.qr.unreadable'));
  }
}

/**
 * With the account known, the holder is proposed from the register (as a bank
 * prints it: "PHAM THI HOA") and the person goes straight to the summary,
 * where "Sửa tên chủ tài khoản" changes it; a name already given is kept.
 */
async function afterAccount(data: CashlessData, ctx: Ctx, ...said: ReturnType<typeof say>[]): Promise<Outcome<CashlessData>> {
  if (data.holderName) return next('summary', data, ...said);
  const person = (await ctx.services.domain.links.activeFor(ctx.chat)).find((p) => p.beneficiaryId === data.beneficiaryId);
  if (!person) return next('holder', data, ...said);
  const holderName = fold(person.fullName).toUpperCase();
  const nameMatches = await ctx.services.domain.paymentMethods.holderMatches(data.beneficiaryId ?? '', holderName);
  return next('summary', { ...data, holderName, nameMatches, holderProposed: true }, ...said);
}

/** The account number as typed: checked, sealed, and the next question. */
async function typedAccount(text: string, ctx: Ctx): Promise<Outcome<CashlessData>> {
  const parsed = parseTypedBankAccount(text);
  if (!parsed.ok) {
    if (parsed.reason === 'letters') return retry(m('cashless.account.letters'));
    if (parsed.reason === 'length') return retry(m('cashless.account.length'));
    if (parsed.reason === 'card') return retry(m('cashless.account.card'));
    return retry(m('cashless.account.format'));
  }
  const sealed = ctx.services.domain.paymentMethods.sealAccount(parsed.value);
  return afterAccount({ ...ctx.data, accountSealed: sealed.sealed, accountMasked: sealed.masked }, ctx, say(m('cashless.account.noted', { account: sealed.masked })));
}

function phoneError(reason: string): Msg {
  if (reason === 'letters') return m('cashless.wallet.phoneLetters');
  if (reason === 'landline') return m('cashless.wallet.phoneLandline');
  return m('cashless.wallet.phoneInvalid');
}

function toNewMethod(data: CashlessData): NewMethod | undefined {
  switch (data.method) {
    case 'bank':
      return data.bankBin && data.accountSealed && data.holderName
        ? { kind: 'bank', bankBin: data.bankBin, account: data.accountSealed, holderName: data.holderName }
        : undefined;
    case 'ewallet':
      return data.walletProvider && data.accountSealed ? { kind: 'ewallet', walletProvider: data.walletProvider, phone: data.accountSealed } : undefined;
    case 'cash_post':
      return { kind: 'cash_post' };
    case 'cash_home':
      return data.homeReason ? { kind: 'cash_home', homeReason: data.homeReason } : undefined;
    default:
      return undefined;
  }
}

/**
 * "Receive my pension by account": the beneficiary chooses a bank account,
 * an e-wallet (where enabled) or cash. Nothing changes until staff approve;
 * every other linked chat is warned and can freeze the request.
 */
export const registerCashlessFlow = defineFlow<CashlessData>({
  id: 'register-cashless',
  version: 1,
  start: 'who',
  initial: () => ({}),
  steps: {
    who: pickBeneficiaryStep<CashlessData>({ question: 'cashless.forWhom', nextStep: 'gate', linkInlineFor: 'register-cashless' }),

    // Answered by itself: checks freeze, pending request and interval before asking anything.
    gate: {
      prompt: () => ({ text: [m('cashless.checking')] }),
      auto: () => ({ type: 'choice', id: 'check' }),
      handle: async (_input, ctx) => {
        const eligible = await ctx.services.domain.paymentMethods.eligibility(ctx.data.beneficiaryId ?? '');
        if (!eligible.ok) return blocked(eligible, ctx);
        if (!eligible.withinMinInterval) return next('method', restart(ctx.data));
        return next(
          'method',
          { ...restart(ctx.data), withinMinInterval: true },
          say(m('cashless.tooSoon', { last: eligible.lastChangeOn ?? '', next: eligible.nextFreeChangeOn ?? '', days: ctx.services.payments.minIntervalDays })),
        );
      },
    },

    method: {
      prompt: async (ctx) => {
        // A relative acting for a pensioner is addressed as the relative: the choice is the pensioner's.
        const person = (await ctx.services.domain.links.activeFor(ctx.chat)).find((p) => p.beneficiaryId === ctx.data.beneficiaryId);
        const intro = person && person.role !== 'self' ? m('cashless.method.introFor', { name: person.fullName }) : m('cashless.method.intro');
        return { text: [intro, m('cashless.method.question')] };
      },
      choices: (ctx) => [
        { id: 'bank', label: m('cashless.method.bank'), aliases: ['ngan hang', 'tai khoan', 'bank'] },
        ...(ctx.services.payments.ewalletEnabled
          ? [{ id: 'ewallet', label: m('cashless.method.ewallet'), aliases: ['vi dien tu', 'mobile money', 'e-wallet'] }]
          : []),
        { id: 'cash_post', label: m('cashless.method.cashPost'), aliases: ['buu dien', 'post office'] },
        { id: 'cash_home', label: m('cashless.method.cashHome'), aliases: ['tai nha', 'at home'] },
      ],
      // A photo of a VietQR code, or a bank's name, says "bank account" by itself.
      accepts: ['text', 'photo'],
      handle: (input, ctx) => {
        const asBank = { ...ctx, data: { ...restart(ctx.data), method: 'bank' as const } };
        if (input.type === 'photo') return accountFromPhoto(input.fileRef, asBank);
        if (input.type === 'text') return findBanks(input.text, 1).length > 0 ? searchBank(input.text, asBank) : retry(m('cashless.method.notUnderstood'));
        if (input.type !== 'choice') return retry(m('engine.notUnderstood'));
        const data = restart(ctx.data);
        switch (input.id) {
          case 'bank':
            return next('bank', { ...data, method: 'bank' });
          case 'ewallet':
            return next('wallet', { ...data, method: 'ewallet' });
          case 'cash_post':
            return next('summary', { ...data, method: 'cash_post' });
          default:
            return next('homeReason', { ...data, method: 'cash_home' });
        }
      },
    },

    bank: {
      prompt: () => ({ text: [m('cashless.bank.question')] }),
      choices: () => popularBanks().map(bankChoice),
      accepts: ['text', 'photo'],
      handle: bankAnswer,
    },

    bankPick: {
      prompt: () => ({ text: [m('cashless.bank.several')] }),
      choices: (ctx) => (ctx.data.bankOptions ?? []).flatMap((bin) => {
        const bank = bankByBin(bin);
        return bank ? [bankChoice(bank)] : [];
      }),
      accepts: ['text', 'photo'],
      handle: bankAnswer,
    },

    account: {
      prompt: (ctx) => ({
        text: [m('cashless.account.question', { bank: bankByBin(ctx.data.bankBin ?? '')?.shortName ?? '' }), m('cashless.neverOtp')],
      }),
      accepts: ['text', 'photo'],
      handle: (input, ctx) => {
        if (input.type === 'photo') return accountFromPhoto(input.fileRef, ctx);
        if (input.type !== 'text') return retry(m('cashless.account.format'));
        return typedAccount(input.text, ctx);
      },
    },

    // The bank and account read from a VietQR photo, shown in full for the person to check.
    qrConfirm: {
      prompt: () => ({ text: [m('cashless.qr.question')] }),
      choices: () => [
        { id: 'yes', label: m('cashless.qr.yes'), aliases: ['dung', 'dung roi', 'co', 'yes', 'ok'] },
        { id: 'no', label: m('cashless.qr.no'), aliases: ['khong', 'sai', 'no'] },
      ],
      // Typing the number instead is an answer too; so is another photo.
      accepts: ['text', 'photo'],
      handle: (input, ctx) => {
        if (input.type === 'photo') return accountFromPhoto(input.fileRef, ctx);
        if (input.type === 'text') return typedAccount(input.text, ctx);
        const data: CashlessData = { ...ctx.data };
        if (input.type === 'choice' && input.id === 'yes') return afterAccount(data, ctx);
        delete data.accountSealed;
        delete data.accountMasked;
        return next('account', data);
      },
    },

    holder: {
      prompt: () => ({ text: [m('cashless.holder.question')] }),
      accepts: ['text'],
      handle: async (input, ctx) => {
        const name = input.type === 'text' ? input.text.replace(/\s+/g, ' ').trim() : '';
        if (name.length < 2 || name.length > MAX_HOLDER_NAME || /\d/.test(name) || !/\p{L}/u.test(name)) {
          return retry(m('cashless.holder.invalid'));
        }
        const matches = await ctx.services.domain.paymentMethods.holderMatches(ctx.data.beneficiaryId ?? '', name);
        const data: CashlessData = { ...ctx.data, holderName: name, nameMatches: matches };
        delete data.holderProposed;
        if (matches) return next('summary', data);
        const warning = ctx.services.payments.proxyAccountAllowed ? 'cashless.holder.mismatchProxy' : 'cashless.holder.mismatch';
        return next('summary', data, say(m(warning)));
      },
    },

    wallet: {
      prompt: () => ({ text: [m('cashless.wallet.question')] }),
      choices: () => WALLET_PROVIDERS.map((p) => ({ id: `${WALLET_PREFIX}${p.id}`, label: m('cashless.wallet.label', { name: p.name }) })),
      handle: (input, ctx) => {
        if (!ctx.services.payments.ewalletEnabled) return next('method', restart(ctx.data));
        const provider = WALLET_PROVIDERS.find((p) => input.type === 'choice' && input.id === `${WALLET_PREFIX}${p.id}`);
        if (!provider) return retry(m('engine.notUnderstood'));
        return next('walletPhone', { ...ctx.data, walletProvider: provider.id });
      },
    },

    walletPhone: {
      prompt: () => ({ text: [m('cashless.wallet.phoneQuestion'), m('cashless.neverOtp')], requestContact: true }),
      accepts: ['text', 'contact'],
      handle: (input, ctx) => {
        const typed = input.type === 'contact' ? input.phone : input.type === 'text' ? input.text : '';
        const phone = normalizePhone(typed);
        if (!phone.ok) return retry(phoneError(phone.reason));
        const sealed = ctx.services.domain.paymentMethods.sealPhone(phone.value);
        return next('summary', { ...ctx.data, accountSealed: sealed.sealed, accountMasked: sealed.masked });
      },
    },

    homeReason: {
      prompt: () => ({ text: [m('cashless.home.question')] }),
      choices: () => HOME_REASONS.map((reason) => ({ id: reason, label: m(`cashless.home.reason.${reason}`) })),
      handle: (input, ctx) => {
        const reason = HOME_REASONS.find((r) => input.type === 'choice' && input.id === r);
        if (!reason) return retry(m('engine.notUnderstood'));
        return next('summary', { ...ctx.data, homeReason: reason });
      },
    },

    summary: {
      prompt: (ctx) => {
        const d = ctx.data;
        const text: Msg[] = [m('cashless.summary.title')];
        // The one place the account number the person typed is shown in full, for them to check (masked everywhere else).
        const account = d.method === 'bank' && d.accountSealed ? grouped(ctx.services.domain.paymentMethods.revealSealed(d.accountSealed)) : d.accountMasked;
        if (d.method) {
          text.push(
            methodSummary({
              kind: d.method,
              ...(d.bankBin ? { bankBin: d.bankBin } : {}),
              ...(d.walletProvider ? { walletProvider: d.walletProvider } : {}),
              ...(account ? { accountMasked: account } : {}),
              ...(d.holderName ? { holderName: d.holderName } : {}),
            }),
          );
        }
        if (d.holderProposed) text.push(m('cashless.summary.holderProposed'));
        if (d.nameMatches === false) text.push(m('cashless.summary.nameFlag'));
        if (d.withinMinInterval) text.push(m('cashless.summary.intervalFlag', { days: ctx.services.payments.minIntervalDays }));
        text.push(m('cashless.summary.official'), m('cashless.summary.question'));
        return { text };
      },
      // "Sửa" changes one field of a bank account, not everything.
      choices: (ctx) => [
        { id: 'confirm', label: m('cashless.summary.confirm'), aliases: ['dong y', 'xac nhan', 'gui', 'yes', 'ok'] },
        ...(ctx.data.method === 'bank'
          ? [
              { id: 'editBank', label: m('cashless.summary.editBank') },
              { id: 'editAccount', label: m('cashless.summary.editAccount') },
              { id: 'editHolder', label: m('cashless.summary.editHolder') },
            ]
          : []),
        { id: 'change', label: m('cashless.summary.change') },
      ],
      handle: async (input, ctx) => {
        if (input.type !== 'choice') return retry(m('engine.notUnderstood'));
        if (input.id === 'change') return next('method', restart(ctx.data));
        if (input.id === 'editBank') return next('bank', ctx.data);
        if (input.id === 'editAccount') return next('account', ctx.data);
        if (input.id === 'editHolder') return next('holder', ctx.data);
        const method = toNewMethod(ctx.data);
        if (!method || !ctx.data.beneficiaryId) return next('method', restart(ctx.data), say(m('cashless.incomplete')));
        const result = await ctx.services.domain.paymentMethods.submit(ctx.chat, ctx.data.beneficiaryId, method);
        if (!result.ok) return blocked(result, ctx);
        return toMenu(
          say(
            m('cashless.done.submitted', { reference: result.reference }),
            m('cashless.done.next', { days: ctx.services.payments.coolingOffDays }),
            m('cashless.done.alerts'),
            m('cashless.neverOtp'),
          ),
        );
      },
    },
  },
});

/** "Đây không phải tôi" in an alert: freezes the request until staff call. */
const notMeAction: ActionHandler = async (reference, ctx) => {
  const hotline = ctx.services.settings.bhxhHotline;
  const result = await ctx.services.domain.paymentMethods.reportNotMe(reference, ctx.chat);
  if (result === 'frozen' || result === 'already_frozen') return toMenu(say(m('cashless.notMe.frozen', { reference, hotline })));
  if (result === 'too_late') return toMenu(say(m('cashless.notMe.tooLate', { reference, hotline })));
  return toMenu(say(m('cashless.notMe.unknown', { hotline })));
};

export const cashlessFeature: Feature = {
  flows: [registerCashlessFlow],
  menu: [
    {
      flow: 'register-cashless',
      label: m('cashless.menuLabel'),
      aliases: ['ngan hang', 'tai khoan', 'khong dung tien mat', 'cashless', 'bank account', 'nhan luong'],
      order: 30,
    },
  ],
  actions: { notme: notMeAction },
};
