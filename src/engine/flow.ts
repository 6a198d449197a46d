import type { Choice, ChatKey, Locale, Msg, Reply } from '../messaging/types.js';
import type { FlowServices, MenuEntry } from './services.js';

/** Input to a step, after the engine has mapped taps, typed numbers and typed labels to choices. */
export type StepInput =
  | { type: 'choice'; id: string }
  | { type: 'text'; text: string }
  | { type: 'contact'; phone: string; ownContact: boolean }
  | { type: 'photo'; fileRef: string; caption?: string };

export interface StepContext<D> {
  readonly data: D;
  readonly locale: Locale;
  readonly chat: ChatKey;
  readonly userId: string;
  readonly services: FlowServices;
  /** Persists the user's language; later replies in this turn use it. */
  setLocale(locale: Locale): Promise<void>;
}

export type Outcome<D> =
  | { kind: 'next'; step: string; data: D; say: Reply[] }
  | { kind: 'retry'; error: Msg; data?: D }
  /** `data` is laid over the new flow's initial data (a flow started for another, to return to it). */
  | { kind: 'start'; flow: string; say: Reply[]; data?: Record<string, unknown> }
  | { kind: 'menu'; say: Reply[] }
  /** Says goodbye and deletes the conversation itself (data erasure): the next message is a first contact. */
  | { kind: 'forget'; say: Reply[] };

export interface StepDef<D> {
  prompt(ctx: StepContext<D>): Reply | Promise<Reply>;
  /** Options shown as buttons; typed numbers and labels map to them. */
  choices?(ctx: StepContext<D>): Choice[] | Promise<Choice[]>;
  /** Free input the step takes besides its choices. */
  accepts?: ReadonlyArray<'text' | 'contact' | 'photo'>;
  handle(input: StepInput, ctx: StepContext<D>): Outcome<D> | Promise<Outcome<D>>;
  /**
   * Answers the step without asking, when there is nothing to ask (a single
   * linked beneficiary, say). Returning undefined shows the prompt as usual.
   */
  auto?(ctx: StepContext<D>): StepInput | undefined | Promise<StepInput | undefined>;
}

/**
 * A conversation as a typed state machine. `version` is saved with the state:
 * bump it when steps or data change shape, and give `migrate` if old state can be kept.
 */
export interface FlowDef<D = unknown> {
  id: string;
  version: number;
  start: string;
  initial(): D;
  steps: Record<string, StepDef<D>>;
  migrate?(fromVersion: number, step: string, data: unknown): { step: string; data: D } | undefined;
}

/**
 * A flow of any data type, for registries. Each flow checks its own data; the
 * engine only passes it back, so the erased type is safe here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFlow = FlowDef<any>;

/** Declares a flow with its data type inferred from `initial`. */
export function defineFlow<D>(flow: FlowDef<D>): FlowDef<D> {
  if (!flow.steps[flow.start]) throw new Error(`flow ${flow.id}: start step "${flow.start}" is not defined`);
  return flow;
}

export type { MenuEntry } from './services.js';

/**
 * Handles a button in a message sent outside a conversation (a notification):
 * payload `a:<name>:<arg>`. Works whatever step the chat is in.
 */
export type ActionHandler = (arg: string, ctx: StepContext<unknown>) => Promise<Outcome<unknown>>;

/** A feature plugs its flows, menu entries and action buttons into the bot. */
export interface Feature {
  flows: AnyFlow[];
  menu?: MenuEntry[];
  actions?: Record<string, ActionHandler>;
}

// Message builders live in the messaging core (domain services use them too); flows take them from here with the rest.
export { ACTION_PREFIX, actionPayload, m, say } from '../messaging/messages.js';

export const next = <D>(step: string, data: D, ...say: Reply[]): Outcome<D> => ({ kind: 'next', step, data, say });
export const retry = <D>(error: Msg, data?: D): Outcome<D> => (data === undefined ? { kind: 'retry', error } : { kind: 'retry', error, data });
export const startFlow = <D>(flow: string, ...say: Reply[]): Outcome<D> => ({ kind: 'start', flow, say });
/** Starts a flow with some of its data given (e.g. which flow to return to when it is done). */
export const startFlowWith = <D>(flow: string, data: Record<string, unknown>, ...say: Reply[]): Outcome<D> => ({ kind: 'start', flow, say, data });
export const toMenu = <D>(...say: Reply[]): Outcome<D> => ({ kind: 'menu', say });
export const forget = <D>(...say: Reply[]): Outcome<D> => ({ kind: 'forget', say });
