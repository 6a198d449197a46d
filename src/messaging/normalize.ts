/**
 * Folds Vietnamese text for matching: no diacritics, lower case, single spaces.
 * "Ngân Hàng" and "ngan hang" match; đ/Đ fold to d, which NFD does not do.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/]+/gu, ' ')
    .trim();
}
