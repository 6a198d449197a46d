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
