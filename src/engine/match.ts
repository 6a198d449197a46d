import type { Choice } from '../messaging/types.js';
import { fold } from '../messaging/normalize.js';

/**
 * Maps typed text to one of the offered choices, as a tap would:
 * "2" picks the second option; a label or alias typed without diacritics picks
 * its option; a word that is part of exactly one label picks that one.
 */
export function matchChoice(
  text: string,
  choices: readonly Choice[],
  labelOf: (choice: Choice) => readonly string[],
): Choice | undefined {
  const typed = fold(text);
  if (typed === '') return undefined;

  const number = /^(\d{1,2})$/.exec(typed);
  if (number) return choices[Number(number[1]) - 1];

  // Reply-keyboard buttons send their label back as text, number included: "2. Ví điện tử".
  const numbered = /^(\d{1,2}) (.+)$/.exec(typed);
  if (numbered) {
    const choice = choices[Number(numbered[1]) - 1];
    if (choice && [...labelOf(choice)].map(fold).includes(numbered[2]!)) return choice;
  }

  const candidates = choices.map((choice) => ({
    choice,
    names: [...labelOf(choice), ...(choice.aliases ?? [])].map(fold).filter((n) => n !== ''),
  }));

  const exact = candidates.find((c) => c.names.includes(typed));
  if (exact) return exact.choice;

  if (typed.length < 3) return undefined;
  const partial = candidates.filter((c) => c.names.some((n) => ` ${n} `.includes(` ${typed}`)));
  return partial.length === 1 ? partial[0]!.choice : undefined;
}
