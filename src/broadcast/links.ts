/** Why a link is refused; stable codes for the API. */
export type LinkProblem = 'link_invalid' | 'link_not_https' | 'link_not_allowed';

/**
 * Checks a link button's URL: https only, and the host must be an allowed domain
 * or a subdomain of one ("evil-baohiemxahoi.gov.vn" is not "baohiemxahoi.gov.vn").
 */
export function checkLink(url: string, allowedDomains: readonly string[]): LinkProblem | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'link_invalid';
  }
  if (parsed.protocol !== 'https:') return 'link_not_https';
  if (parsed.username || parsed.password) return 'link_invalid';
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  const ok = allowedDomains.some((d) => {
    const domain = d.toLowerCase();
    return host === domain || host.endsWith(`.${domain}`);
  });
  return ok ? null : 'link_not_allowed';
}

/** Every http(s) address written in a text, so a link cannot hide in the message body. */
export function linksInText(text: string): string[] {
  return [...text.matchAll(/\bhttps?:\/\/[^\s<>"]+/gi)].map((m) => m[0]);
}

/** One reason a notice's content would be refused, with the field it concerns. */
export interface ContentProblem {
  code: LinkProblem | 'link_in_text';
  message: string;
  field: string;
}

/**
 * What is wrong with a notice's links, in the order staff should fix it: the
 * button's address, its label, the image address, then addresses written in the
 * text (a link there would dodge the allow-list and the four-eyes rule). The
 * service refuses on the first; the console's preview shows them all as staff type.
 */
export function contentProblems(
  input: { content: { vi: { text: string; linkLabel?: string }; en?: { text: string; linkLabel?: string } }; linkUrl?: string | null; imageUrl?: string | null },
  allowedDomains: readonly string[],
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  if (input.linkUrl) {
    const problem = checkLink(input.linkUrl, allowedDomains);
    if (problem) problems.push({ code: problem, message: `link refused (${problem}); allowed domains: ${allowedDomains.join(', ')}`, field: 'linkUrl' });
    else if (!input.content.vi.linkLabel) problems.push({ code: 'link_invalid', message: 'a link needs a button label (content.vi.linkLabel)', field: 'content.vi.linkLabel' });
  }
  if (input.imageUrl && checkLink(input.imageUrl, allowedDomains) === 'link_invalid') {
    problems.push({ code: 'link_invalid', message: 'image must be an https URL', field: 'imageUrl' });
  }
  for (const [lang, text] of Object.entries(input.content)) {
    if (text && linksInText(text.text).length > 0) {
      problems.push({ code: 'link_in_text', message: 'put the link on the button (linkUrl), not in the text', field: `content.${lang}.text` });
    }
  }
  return problems;
}
