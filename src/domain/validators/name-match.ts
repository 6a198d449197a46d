/**
 * Folds a person's name to the form banks print on accounts: no diacritics,
 * upper case, single spaces, no punctuation. "Nguyễn Văn  An." → "NGUYEN VAN AN".
 *
 * đ/Đ become D (NFD leaves them whole); ð, which some legacy keyboards
 * produce instead of đ, does too. Apostrophes join rather than split, so the
 * Ê Đê name "H'Hen" folds to "HHEN" as banks write it.
 */
export function foldName(name: string): string {
  return name
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐðÐ]/g, 'd')
    .replace(/['’ʼ`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .toUpperCase();
}

/**
 * True when two names are the same person's name as far as a bank can tell:
 * equal after folding, spaces aside. "NGUYEN VAN AN" matches "Nguyễn Văn An".
 *
 * Spaces are ignored because bank systems split or join syllables of
 * minority-language names ("H HEN NIE", "HHEN NIE"). An empty name never
 * matches. A mismatch is not a refusal: the request goes to staff review.
 */
export function namesMatch(a: string, b: string): boolean {
  const left = foldName(a).replace(/ /g, '');
  const right = foldName(b).replace(/ /g, '');
  return left !== '' && left === right;
}
