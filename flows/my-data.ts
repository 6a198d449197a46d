import { defineFlow, forget, m, next, retry, say, toMenu, type Feature, type MenuEntry } from '../src/engine/flow.js';
import type { Msg } from '../src/messaging/types.js';
import type { MyDataView } from '../src/domain/my-data.js';
import { formatDate, vietnamToday } from '../src/domain/validators/dates.js';

type Empty = Record<string, never>;

/** Everything stored about the chat, one line each, identifiers masked by the service. */
function describe(view: MyDataView): Msg[] {
  const lines: Msg[] = [m('myData.title'), m(`myData.language.${view.locale}`)];
  lines.push(view.subscribed ? m('myData.subscribed') : m('myData.notSubscribed'));
  const consent = view.consents[view.consents.length - 1];
  lines.push(consent ? m('myData.consent', { date: formatDate(vietnamToday(consent.at)) }) : m('myData.noConsent'));

  if (view.links.length === 0) lines.push(m('myData.noLinks'));
  else {
    lines.push(m('myData.linksTitle'));
    for (const link of view.links) lines.push(m(`myData.link.${link.role}.${link.status}`, { name: link.fullName, code: link.bhxhCodeMasked }));
  }
  if (view.openRequests.length === 0) lines.push(m('myData.noRequests'));
  else {
    lines.push(m('myData.requestsTitle'));
    for (const r of view.openRequests) lines.push(m(`myData.request.${r.status}`, { reference: r.reference }));
  }
  if (view.fraudCases.length === 0) lines.push(m('myData.noFraudCases'));
  else {
    lines.push(m('myData.fraudTitle'));
    for (const c of view.fraudCases) lines.push(m(`myData.fraudCase.${c.status}`, { caseNumber: c.caseNumber }));
  }
  return lines;
}

/**
 * "My data": what the bot keeps about this chat, masked, and erasure on
 * request. After erasure the chat's conversation is removed too, so the next
 * message is a first contact.
 */
export const myDataFlow = defineFlow<Empty>({
  id: 'my-data',
  version: 1,
  start: 'overview',
  initial: () => ({}),
  steps: {
    overview: {
      prompt: async (ctx) => {
        const view = await ctx.services.domain.myData.view(ctx.chat);
        return { text: view ? [...describe(view), m('myData.askAction')] : [m('myData.nothing')] };
      },
      choices: () => [{ id: 'erase', label: m('myData.erase'), aliases: ['xoa', 'xoa du lieu', 'erase', 'delete'] }],
      handle: (input, ctx) => (input.type === 'choice' ? next('confirmErase', ctx.data) : retry(m('engine.notUnderstood'))),
    },
    confirmErase: {
      prompt: () => ({ text: [m('myData.confirmErase'), m('myData.askConfirmErase')] }),
      choices: () => [
        { id: 'yes', label: m('myData.confirmYes'), aliases: ['co', 'yes', 'co xoa'] },
        { id: 'no', label: m('myData.confirmNo'), aliases: ['khong', 'no', 'giu lai'] },
      ],
      handle: async (input, ctx) => {
        if (input.type !== 'choice') return retry(m('engine.notUnderstood'));
        if (input.id !== 'yes') return toMenu(say(m('myData.kept')));
        await ctx.services.domain.myData.erase(ctx.chat);
        // The engine deletes the conversation with this turn: the next message is a first contact.
        return forget(say(m('myData.erased')));
      },
    },
  },
});

const menu: MenuEntry = {
  flow: 'my-data',
  label: m('myData.menuLabel'),
  aliases: ['xoa du lieu', 'xoa du lieu cua toi', 'du lieu cua toi', 'my data', 'erase my data', 'delete my data'],
  order: 85,
};

/** Viewing and erasing one's own data. */
export const myDataFeature: Feature = { flows: [myDataFlow], menu: [menu] };
