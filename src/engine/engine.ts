import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { Translator } from '../i18n/i18n.js';
import type { ChatUserService } from '../domain/chat-users.js';
import type { ActionHandler, AnyFlow, Outcome, StepContext, StepDef, StepInput } from './flow.js';
import { ACTION_PREFIX, m } from './flow.js';
import type { FlowServices } from './services.js';
import { KEPT_ACTIONS, type ClaimedConversation, type ConversationState, type ConversationStore } from './conversation-store.js';
import type { Choice, Inbound, Locale, Msg, OutMessage, Reply } from '../messaging/types.js';
import { globalCommandOf, GLOBAL_PAYLOAD_PREFIX, type GlobalCommand } from './commands.js';
import { matchChoice } from './match.js';
import { fold } from '../messaging/normalize.js';
import type { PendingAction } from '../db/models/conversation.js';
import { renderReply } from '../messaging/render.js';
import { busy, DomainError, errorMessage } from '../domain/errors.js';
import { domainErrorReply } from './error-replies.js';
import { IntentVocabulary, type Intent } from './intents.js';

export const MENU_FLOW = 'menu';
/** The language question: "ngôn ngữ" from any step. */
export const LANGUAGE_FLOW = 'language';
/** Where the language question lives when a bot has no flow of its own for it (settings offer the languages too). */
const SETTINGS_FLOW = 'settings';
const CHOICE_PREFIX = 'c:';
/** How long a notification's buttons can be answered by typing their label. */
const ACTION_TTL_MS = 7 * 24 * 3600_000;
/** Where the engine keeps its own part of a conversation's data (the steps shown, for "quay lại"). */
const META_KEY = '__engine';
/** Steps remembered for "quay lại". */
const TRAIL_LENGTH = 12;
/** The fallbacks said in turn, so the same words never come twice in a row. */
const FALLBACKS = ['engine.notUnderstood', 'engine.notUnderstoodAgain', 'engine.notUnderstoodThird'] as const;

/** The engine's own bookkeeping in a conversation, kept beside the flow's data. */
interface EngineMeta {
  /** Steps of the current flow shown to the person, oldest first; the last is where they are. */
  trail: string[];
  /** Fallbacks in a row, to vary the words. */
  misses: number;
}

export interface EngineOptions {
  flows: AnyFlow[];
  actions?: Record<string, ActionHandler>;
  translator: Translator;
  store: ConversationStore;
  chatUsers: ChatUserService;
  services: FlowServices;
  defaultLocale: Locale;
  idleMs: number;
  logger: Logger;
  /** Called once per handled message, for metrics. */
  observe?: (event: { flow: string; step: string; seconds: number }) => void;
}

/** Mutable state of one turn: where the conversation is and what we will say. */
interface Turn {
  inbound: Inbound;
  locale: Locale;
  state: ConversationState;
  out: Reply[];
  /** Steps answered by `auto` this turn; bounded so a cycle cannot spin. */
  autoSteps: number;
  /** The flow asked for the conversation to be deleted at the end of the turn. */
  forget: boolean;
  /** Typeable notification buttons still open; the one used is removed. */
  pendingActions: PendingAction[];
  /** Where the conversation stood before this message was acted on: kept when the turn meets a DomainError. */
  before: { state: ConversationState; pendingActions: PendingAction[]; meta: EngineMeta };
  meta: EngineMeta;
}

/**
 * Runs one step per inbound message: load the conversation, apply global
 * commands, run the step, save. Knows no platform and no model.
 */
export class Engine {
  private readonly flows: Map<string, AnyFlow>;
  private readonly intents: IntentVocabulary;
  private readonly languageFlow: string;

  constructor(private readonly opts: EngineOptions) {
    this.flows = new Map(opts.flows.map((f) => [f.id, f]));
    this.intents = new IntentVocabulary(opts.translator, opts.flows.map((f) => f.id));
    this.languageFlow = this.flows.has(LANGUAGE_FLOW) ? LANGUAGE_FLOW : SETTINGS_FLOW;
    for (const id of [MENU_FLOW, this.languageFlow]) {
      // Wiring, checked once at start-up: a plain Error.
      if (!this.flows.has(id)) throw new Error(`engine needs a "${id}" flow`);
    }
  }

  /**
   * Handles one message and returns the replies to send. A message whose id was
   * already handled for this chat returns the saved replies again without
   * re-running the step, so a platform redelivery after a failed send is safe.
   */
  async handle(inbound: Inbound): Promise<OutMessage[]> {
    const started = performance.now();
    const user = await this.opts.chatUsers.touch(inbound, inbound.userId, this.opts.defaultLocale);
    for (let attempt = 0; attempt < 3; attempt++) {
      const owner = randomUUID();
      const conv = await this.opts.store.claim(inbound, owner);
      const heartbeat = setInterval(() => {
        this.opts.store.renew(inbound, owner).catch((err: unknown) => this.opts.logger.warn({ event: 'lease_renew_failed', err: errorMessage(err) }, 'lease renewal failed'));
      }, this.opts.store.heartbeatMs);
      try {
        const result = await this.turnOnce(inbound, user.locale, conv, owner, started);
        if (result) return result;
      } finally {
        clearInterval(heartbeat);
      }
      this.opts.logger.warn({ event: 'conversation_conflict', channel: inbound.channel, attempt }, 'lease lost; redoing turn');
    }
    // Nothing was saved; the channel lets the platform deliver the message again.
    throw busy('the conversation kept changing under this turn', { details: { channel: inbound.channel } });
  }

  /** One attempt at a turn; undefined when the lease was lost and the turn must be redone. */
  private async turnOnce(inbound: Inbound, locale: Locale, conv: ClaimedConversation, owner: string, started: number): Promise<OutMessage[] | undefined> {
    let turn: Turn;
    try {
      if (conv.lastInboundId === inbound.id) {
        await this.opts.store.release(inbound, owner);
        return conv.lastReplies;
      }
      const pendingActions = conv.pendingActions.filter((a) => Date.now() - new Date(a.at).getTime() < ACTION_TTL_MS);
      const { data, meta } = splitMeta(conv.data);
      const state: ConversationState = { flow: conv.flow, flowVersion: conv.flowVersion, step: conv.step, data };
      const before = { state: snapshot(state), pendingActions, meta: structuredClone(meta) };
      turn = { inbound, locale, state, out: [], autoSteps: 0, forget: false, pendingActions, before, meta };
      try {
        await this.runTurn(turn, conv.lastActivityAt);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        this.answerDomainError(turn, err);
      }
    } catch (err) {
      await this.opts.store.release(inbound, owner).catch(() => undefined);
      throw err;
    }
    const replies = turn.out.map((reply) => renderReply(reply, turn.locale, this.opts.translator));
    if (turn.forget) {
      await this.opts.store.eraseLeased(inbound, owner);
      return replies;
    }
    const saved = await this.opts.store.save(inbound, owner, {
      flow: turn.state.flow,
      flowVersion: turn.state.flowVersion,
      step: turn.state.step,
      data: joinMeta(turn.state.data, turn.meta),
      lastInboundId: inbound.id,
      // Kept to answer a redelivered message again; long numbers (an account shown in full to its owner) are masked in this copy.
      lastReplies: replies.map(maskStoredReply),
      pendingActions: turn.pendingActions.slice(-KEPT_ACTIONS),
    });
    if (!saved) return undefined;
    this.opts.observe?.({ flow: conv.flow ?? MENU_FLOW, step: conv.step ?? 'start', seconds: (performance.now() - started) / 1000 });
    return replies;
  }

  private async runTurn(turn: Turn, lastActivityAt: Date): Promise<void> {
    const command = globalCommandOf(turn.inbound);
    let fresh = false;

    if (turn.state.flow !== null && Date.now() - lastActivityAt.getTime() > this.opts.idleMs) {
      turn.out.push({ text: [m('engine.sessionExpired')] });
      this.setPosition(turn, MENU_FLOW);
      fresh = true;
    } else if (turn.state.flow !== null && !this.positionValid(turn)) {
      turn.out.push({ text: [m('engine.flowUpdated')] });
      this.setPosition(turn, MENU_FLOW);
      fresh = true;
    }
    // An expired or unreadable conversation is not brought back by an error later in this turn.
    if (fresh) turn.before = { ...turn.before, state: snapshot(turn.state), meta: structuredClone(turn.meta) };

    if (command) return this.runCommand(turn, command);
    const action = this.actionOf(turn);
    if (action) {
      const outcome = await action.handler(action.arg, this.context(turn));
      if (turn.state.flow === null) this.setPosition(turn, MENU_FLOW);
      return this.apply(turn, outcome);
    }
    if (turn.state.flow === null) {
      // First contact, or after erasure: greet and show the menu whatever was sent.
      turn.out.push({ text: [m('engine.welcome')] });
      return this.enter(turn, MENU_FLOW);
    }
    // The input was meant for the step we just left: acting on it at the menu would misread it.
    if (fresh) return this.prompt(turn);
    return this.runStep(turn);
  }

  private async runCommand(turn: Turn, command: GlobalCommand): Promise<void> {
    switch (command.name) {
      case 'start':
        // /start or "nhận lại thông báo" after "Dừng nhận tin" subscribes again to notices.
        if (!(await this.opts.chatUsers.isSubscribed(turn.inbound))) {
          await this.opts.chatUsers.setSubscribed(turn.inbound, true);
          turn.out.push({ text: [m('broadcast.resubscribed')] });
        }
        turn.out.push({ text: [m('engine.welcome')] });
        return this.enter(turn, MENU_FLOW);
      case 'stop':
        await this.opts.chatUsers.setSubscribed(turn.inbound, false);
        turn.out.push({ text: [m('broadcast.unsubscribed')] });
        return this.enter(turn, MENU_FLOW);
      case 'menu':
        return this.enter(turn, MENU_FLOW);
      case 'cancel':
        if (turn.state.flow !== null && turn.state.flow !== MENU_FLOW) turn.out.push({ text: [m('engine.cancelled')] });
        return this.enter(turn, MENU_FLOW);
      case 'help': {
        turn.out.push({ text: [m('engine.help', { hotline: this.opts.services.settings.bhxhHotline })] });
        if (turn.state.flow === null) return this.enter(turn, MENU_FLOW);
        return this.prompt(turn);
      }
      case 'language':
        if (command.locale) {
          await this.setLocale(turn, command.locale);
          turn.out.push({ text: [m('settings.languageChanged')] });
          return this.enter(turn, MENU_FLOW);
        }
        return this.enter(turn, this.languageFlow);
    }
  }

  private async runStep(turn: Turn): Promise<void> {
    const step = this.currentStep(turn);
    const ctx = this.context(turn);
    const choices = (await step.choices?.(ctx)) ?? [];
    const input = this.toStepInput(turn, step, choices);
    // The step's own options come first; then what the person may mean from anywhere.
    if (input?.type !== 'choice' && turn.inbound.kind === 'text') {
      const takesText = input?.type === 'text';
      const intent = this.intents.match(turn.inbound.text, takesText);
      if (intent) return this.runIntent(turn, intent);
      const menu = await this.menuPick(turn, turn.inbound.text, takesText);
      if (menu) return this.enter(turn, menu);
    }
    if (!input) return this.prompt(turn, this.notUnderstood(turn));
    turn.meta.misses = 0;
    const outcome: Outcome<unknown> = await step.handle(input, ctx);
    return this.apply(turn, outcome);
  }

  private async runIntent(turn: Turn, intent: Intent): Promise<void> {
    turn.meta.misses = 0;
    switch (intent.kind) {
      case 'back':
        return this.goBack(turn);
      case 'hotline':
        turn.out.push({ text: [m('engine.hotline', { hotline: this.opts.services.settings.bhxhHotline })] });
        return this.prompt(turn);
      case 'flow': {
        const entries = await this.opts.services.menu(turn.inbound, turn.locale);
        if (intent.flow === this.languageFlow) return this.enter(turn, intent.flow);
        if (entries.some((e) => e.flow === intent.flow)) return this.enter(turn, intent.flow);
        return this.prompt(turn, this.notUnderstood(turn));
      }
    }
  }

  /**
   * A main-menu item typed from any step: its number (where the step has no
   * option of that number and takes no free text), its label, or an alias.
   * On a free-text step only a whole label counts, so a name stays a name.
   */
  private async menuPick(turn: Turn, text: string, takesText: boolean): Promise<string | undefined> {
    const entries = await this.opts.services.menu(turn.inbound, turn.locale);
    const choices: Choice[] = entries.map((e) => ({ id: e.flow, label: e.label, ...(e.aliases ? { aliases: e.aliases } : {}) }));
    const labels = (c: Choice) => [this.opts.translator.t('vi', c.label), this.opts.translator.t('en', c.label)];
    if (!takesText) return matchChoice(text, choices, labels)?.id;
    const typed = fold(text);
    return choices.find((c) => labels(c).some((l) => fold(l) === typed))?.id;
  }

  /** "Quay lại": the step shown before this one, with everything entered kept; from a flow's first step, the menu. */
  private async goBack(turn: Turn): Promise<void> {
    const trail = turn.meta.trail;
    if (turn.state.flow !== MENU_FLOW && trail.length >= 2) {
      trail.pop();
      turn.state.step = trail[trail.length - 1]!;
      return this.prompt(turn);
    }
    if (turn.state.flow !== MENU_FLOW) turn.out.push({ text: [m('engine.backAtStart')] });
    return this.enter(turn, MENU_FLOW);
  }

  private async apply(turn: Turn, outcome: Outcome<unknown>): Promise<void> {
    switch (outcome.kind) {
      case 'next':
        turn.out.push(...outcome.say);
        turn.state.step = outcome.step;
        turn.state.data = outcome.data;
        // A flow naming a step it does not define is a bug in the flow, not a condition to tell the user about.
        if (!this.positionValid(turn)) throw new Error(`flow ${turn.state.flow}: no step "${outcome.step}"`);
        return this.prompt(turn);
      case 'retry':
        if (outcome.data !== undefined) turn.state.data = outcome.data;
        return this.prompt(turn, outcome.error);
      case 'start':
        turn.out.push(...outcome.say);
        return this.enter(turn, outcome.flow, outcome.data);
      case 'menu':
        turn.out.push(...outcome.say);
        return this.enter(turn, MENU_FLOW);
      case 'forget':
        turn.out.push(...outcome.say);
        turn.forget = true;
        return;
    }
  }

  private toStepInput(turn: Turn, step: StepDef<unknown>, choices: Choice[]): StepInput | undefined {
    const inbound = turn.inbound;
    const accepts = step.accepts ?? [];
    switch (inbound.kind) {
      case 'button': {
        if (!inbound.payload.startsWith(CHOICE_PREFIX)) return undefined;
        const id = inbound.payload.slice(CHOICE_PREFIX.length);
        return choices.some((c) => c.id === id) ? { type: 'choice', id } : undefined;
      }
      case 'text': {
        const labels = (c: Choice) => [this.opts.translator.t('vi', c.label), this.opts.translator.t('en', c.label)];
        const hit = matchChoice(inbound.text, choices, labels);
        if (hit) return { type: 'choice', id: hit.id };
        return accepts.includes('text') ? { type: 'text', text: inbound.text.trim() } : undefined;
      }
      case 'contact':
        if (accepts.includes('contact')) return { type: 'contact', phone: inbound.phone, ownContact: inbound.ownContact };
        return accepts.includes('text') ? { type: 'text', text: inbound.phone } : undefined;
      case 'photo':
        return accepts.includes('photo') ? { type: 'photo', fileRef: inbound.fileRef, caption: inbound.caption } : undefined;
      default:
        return undefined;
    }
  }

  /** A notification button, tapped or typed by its label. */
  private actionOf(turn: Turn): { handler: ActionHandler; arg: string } | undefined {
    const inbound = turn.inbound;
    let payload: string | undefined;
    if (inbound.kind === 'button' && inbound.payload.startsWith(ACTION_PREFIX)) payload = inbound.payload;
    if (inbound.kind === 'text') {
      const typed = fold(inbound.text);
      payload = turn.pendingActions.findLast((a) => a.label === typed)?.payload;
    }
    if (!payload) return undefined;
    turn.pendingActions = turn.pendingActions.filter((a) => a.payload !== payload);
    const [name, ...rest] = payload.slice(ACTION_PREFIX.length).split(':');
    const handler = name ? this.opts.actions?.[name] : undefined;
    return handler ? { handler, arg: rest.join(':') } : undefined;
  }

  /**
   * The one place a conversation turn meets an expected domain condition (a
   * record gone, a change made elsewhere first, a lease held elsewhere): the
   * person is told in their language what to do next, instead of a crash and
   * silence, and the conversation stays where it was before this message,
   * with everything entered so far. What the turn had said is dropped: it
   * described a step that did not happen.
   */
  private answerDomainError(turn: Turn, err: DomainError): void {
    const { state, pendingActions, meta } = turn.before;
    this.opts.logger.warn(
      { event: 'turn_domain_error', code: err.code, flow: state.flow, step: state.step, err: err.message, details: err.details },
      'expected condition during a conversation turn',
    );
    turn.state = state;
    turn.meta = meta;
    turn.pendingActions = pendingActions;
    turn.forget = false;
    turn.autoSteps = 0;
    const inMenu = state.flow === null || state.flow === MENU_FLOW;
    turn.out = [domainErrorReply(err, { hotline: this.opts.services.settings.bhxhHotline, backToMenu: !inMenu })];
  }

  /** The fallback line: never the same words twice in a row. */
  private notUnderstood(turn: Turn): Msg {
    const inbound = turn.inbound;
    const misses = turn.meta.misses++;
    if (misses === 0 && inbound.kind === 'unsupported') return m('engine.unsupported');
    if (misses === 0 && inbound.kind === 'photo') return m('engine.photoNotExpected');
    return m(FALLBACKS[misses % FALLBACKS.length]!, { hotline: this.opts.services.settings.bhxhHotline });
  }

  private async enter(turn: Turn, flowId: string, data?: Record<string, unknown>): Promise<void> {
    const flow = this.flows.get(flowId);
    // Flow ids are code (startFlow('x')), not input: an unknown one is a bug.
    if (!flow) throw new Error(`unknown flow "${flowId}"`);
    this.setPosition(turn, flowId);
    if (data) turn.state.data = { ...(turn.state.data as Record<string, unknown>), ...data };
    return this.prompt(turn);
  }

  private setPosition(turn: Turn, flowId: string): void {
    const flow = this.flows.get(flowId)!;
    turn.state = { flow: flow.id, flowVersion: flow.version, step: flow.start, data: flow.initial() };
    turn.meta = { trail: [], misses: 0 };
  }

  /** Shows the current step's question, after an error line when there is one. */
  private async prompt(turn: Turn, error?: Msg): Promise<void> {
    const step = this.currentStep(turn);
    const ctx = this.context(turn);
    if (!error && step.auto && turn.autoSteps < 10) {
      const input = await step.auto(ctx);
      if (input) {
        turn.autoSteps++;
        return this.apply(turn, await step.handle(input, ctx));
      }
    }
    const reply = await step.prompt(ctx);
    const choices = [...(reply.choices ?? []), ...((await step.choices?.(ctx)) ?? [])];
    if (!error) {
      const trail = turn.meta.trail;
      if (trail[trail.length - 1] !== turn.state.step) turn.meta.trail = [...trail, turn.state.step!].slice(-TRAIL_LENGTH);
    }
    // A re-prompt is the one line that says what went wrong, plus the options (or, on a step that waits
    // for typed input, its question); the whole block the person has just read is not sent again.
    const asks = choices.length === 0 && (step.accepts ?? []).length > 0 && reply.text.length > 0;
    const text = !error ? reply.text : asks ? [error, reply.text[0]!] : [error];
    const withChoices: Reply = { ...reply, text, choices };
    turn.out.push(turn.state.flow === MENU_FLOW ? withChoices : { ...withChoices, backToMenu: true });
  }

  private positionValid(turn: Turn): boolean {
    const flow = turn.state.flow ? this.flows.get(turn.state.flow) : undefined;
    if (!flow || turn.state.step === null) return false;
    if (turn.state.flowVersion !== flow.version) {
      const migrated = flow.migrate?.(turn.state.flowVersion, turn.state.step, turn.state.data);
      if (!migrated || !flow.steps[migrated.step]) return false;
      turn.state = { flow: flow.id, flowVersion: flow.version, step: migrated.step, data: migrated.data };
    }
    return flow.steps[turn.state.step!] !== undefined;
  }

  private currentStep(turn: Turn): StepDef<unknown> {
    const step = this.flows.get(turn.state.flow!)?.steps[turn.state.step!];
    // Invariant: positionValid() or setPosition() ran before every call.
    if (!step) throw new Error(`no step ${turn.state.flow}/${turn.state.step}`);
    return step;
  }

  private context(turn: Turn): StepContext<unknown> {
    return {
      data: turn.state.data,
      locale: turn.locale,
      chat: { channel: turn.inbound.channel, chatId: turn.inbound.chatId },
      userId: turn.inbound.userId,
      services: this.opts.services,
      setLocale: (locale) => this.setLocale(turn, locale),
    };
  }

  private async setLocale(turn: Turn, locale: Locale): Promise<void> {
    await this.opts.chatUsers.setLocale(turn.inbound, locale);
    turn.locale = locale;
  }
}

/** Digit runs of 9 or more (spaces allowed between groups): account, card or identity numbers. */
const LONG_NUMBER = /\d(?: ?\d){8,}/g;

/** A reply as stored for redelivery: long numbers keep their last four digits only. */
function maskStoredReply(reply: OutMessage): OutMessage {
  const mask = (text: string) => text.replace(LONG_NUMBER, (run) => `${'*'.repeat(Math.max(0, run.replace(/ /g, '').length - 4))}${run.replace(/ /g, '').slice(-4)}`);
  return { ...reply, text: mask(reply.text) };
}

/** The flow's data without the engine's bookkeeping, which flows never see. */
function splitMeta(stored: unknown): { data: unknown; meta: EngineMeta } {
  if (typeof stored !== 'object' || stored === null || !(META_KEY in stored)) return { data: stored, meta: { trail: [], misses: 0 } };
  const { [META_KEY]: raw, ...data } = stored as Record<string, unknown>;
  const meta = raw as Partial<EngineMeta> | null;
  const trail = Array.isArray(meta?.trail) ? meta.trail.filter((s): s is string => typeof s === 'string') : [];
  return { data, meta: { trail, misses: typeof meta?.misses === 'number' ? meta.misses : 0 } };
}

function joinMeta(data: unknown, meta: EngineMeta): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  return { ...data, [META_KEY]: meta };
}

/** A deep copy of where a conversation stands, so a step that changes its data in place cannot alter it. */
function snapshot(state: ConversationState): ConversationState {
  return { flow: state.flow, flowVersion: state.flowVersion, step: state.step, data: structuredClone(state.data) };
}

export { GLOBAL_PAYLOAD_PREFIX, CHOICE_PREFIX };
