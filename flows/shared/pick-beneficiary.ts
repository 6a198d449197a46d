import { m, next, say, startFlow, startFlowWith, type Outcome, type StepContext, type StepDef } from '../../src/engine/flow.js';
import type { LinkedBeneficiary } from '../../src/domain/links.js';

/** Flow data that remembers the chosen beneficiary. */
export interface WithBeneficiary {
  beneficiaryId?: string;
}

/**
 * "For whom?" — a step listing the beneficiaries this chat may act for. With
 * one, it is chosen without asking; with none, the user is offered linking.
 * `question` is the i18n key of the prompt, e.g. 'paymentStatus.forWhom'.
 */
export function pickBeneficiaryStep<D extends WithBeneficiary>(opts: {
  question: string;
  nextStep: string;
  /** With nobody linked, link at once and come back to this flow (instead of offering a "link now" button). */
  linkInlineFor?: string;
}): StepDef<D> {
  // The engine hands one context to auto, prompt and choices when it shows this step: one query serves all three.
  const asked = new WeakMap<StepContext<D>, Promise<LinkedBeneficiary[]>>();
  const linked = (ctx: StepContext<D>) => {
    let people = asked.get(ctx);
    if (!people) asked.set(ctx, (people = ctx.services.domain.links.activeFor(ctx.chat)));
    return people;
  };
  const pendingOf = new WeakMap<StepContext<D>, Promise<{ reference: string; fullName: string }[]>>();
  const pending = (ctx: StepContext<D>) => {
    let requests = pendingOf.get(ctx);
    if (!requests) pendingOf.set(ctx, (requests = ctx.services.domain.links.pendingFor(ctx.chat)));
    return requests;
  };
  const chosen = (ctx: StepContext<D>, beneficiaryId: string): Outcome<D> => next(opts.nextStep, { ...ctx.data, beneficiaryId });
  return {
    prompt: async (ctx) => {
      const people = await linked(ctx);
      if (people.length === 0) {
        // A relative whose request waits for staff is told of it, with its code, not that nothing is linked.
        const waiting = await pending(ctx);
        if (waiting.length > 0) return { text: waiting.map((p) => m('pickBeneficiary.pending', { name: p.fullName, reference: p.reference })) };
        return { text: [m('pickBeneficiary.noneLinked')] };
      }
      return { text: [m(opts.question)] };
    },
    choices: async (ctx) => {
      const people = await linked(ctx);
      if (people.length === 0) return [{ id: 'link', label: m('pickBeneficiary.linkNow') }];
      return people.map((p) => ({
        id: p.beneficiaryId,
        label: m('pickBeneficiary.person', { name: p.fullName, code: p.bhxhCodeMasked }),
      }));
    },
    auto: async (ctx) => {
      const people = await linked(ctx);
      if (people.length === 0 && opts.linkInlineFor && (await pending(ctx)).length === 0) return { type: 'choice', id: 'link' };
      return people.length === 1 ? { type: 'choice', id: people[0]!.beneficiaryId } : undefined;
    },
    handle: async (input, ctx) => {
      if (input.type !== 'choice') return { kind: 'retry', error: m('engine.notUnderstood') };
      if (input.id === 'link' && opts.linkInlineFor) return startFlowWith('link-self', { then: opts.linkInlineFor }, say(m('pickBeneficiary.linkFirst')));
      if (input.id === 'link') return startFlow('link-self');
      // Checked again at the moment of choosing: a link may have been revoked meanwhile.
      if (!(await ctx.services.domain.links.canAct(ctx.chat, input.id))) return { kind: 'retry', error: m('pickBeneficiary.notAllowed') };
      return chosen(ctx, input.id);
    },
  };
}
