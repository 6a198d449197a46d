/**
 * Evidence photos (fraud reports, relatives' authorisation papers) as staff see them.
 *
 * The database keeps only what the platform gave us: a Telegram `file_id`, a
 * Zalo image URL, or the simulator's `simulator-photo-<uuid>` placeholder. The
 * bytes are fetched on demand from the platform each time staff open one, so
 * the photos never sit in our database or on our disk.
 */

import { errorName } from '../errors.js';

/** The platforms a photo reference can come from. */
export const PHOTO_PLATFORMS = ['telegram', 'zalo', 'simulator'] as const;
export type PhotoPlatform = (typeof PHOTO_PLATFORMS)[number];

/** What a photo is served as. SVG only ever comes from our own placeholder, never from a platform. */
export type ImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp' | 'image/svg+xml';

export interface EvidencePhoto {
  platform: PhotoPlatform;
  contentType: ImageType;
  bytes: Buffer;
}

/** Why a photo could not be shown; the message names the reason, never the reference or a token. */
export type PhotoUnavailableReason = 'not_configured' | 'not_allowed' | 'upstream' | 'timeout' | 'too_large' | 'not_image' | 'unknown_ref';

export class PhotoUnavailableError extends Error {
  override name = 'PhotoUnavailableError';
  constructor(
    readonly reason: PhotoUnavailableReason,
    message: string,
  ) {
    super(message);
  }
}

/** One platform's way of turning a reference into image bytes. */
export interface PhotoSource {
  readonly platform: PhotoPlatform;
  load(ref: string): Promise<EvidencePhoto>;
}

export interface FetchLimits {
  /** Larger answers are refused while reading (Telegram photos are well under 1 MB; bots may download up to 20 MB). */
  maxBytes: number;
  timeoutMs: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { maxBytes: 10 * 1024 * 1024, timeoutMs: 10_000 };

type FetchFn = typeof fetch;

const SIMULATOR_REF = /^simulator-photo-([0-9a-f-]{1,64})$/i;
// Telegram file ids are base64url-like; a URL or anything with other characters is not one.
const TELEGRAM_FILE_ID = /^[A-Za-z0-9_-]{1,256}$/;
const URL_REF = /^https?:\/\//i;

/** Which platform a stored reference belongs to, from its shape alone (the reporter may have erased their chat). */
export function platformOfRef(ref: string): PhotoPlatform | null {
  if (SIMULATOR_REF.test(ref)) return 'simulator';
  if (URL_REF.test(ref)) return 'zalo';
  if (TELEGRAM_FILE_ID.test(ref)) return 'telegram';
  return null;
}

/** The image type from the first bytes; the platform's Content-Type header is not trusted. */
export function sniffImageType(bytes: Buffer): Exclude<ImageType, 'image/svg+xml'> | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

/**
 * GETs `url` within the limits and checks the answer is an image. Redirects are
 * not followed: `allowRedirect` decides each hop (at most 3), so a permitted
 * host cannot bounce us to an internal address.
 */
async function fetchImage(
  url: URL,
  opts: { fetch: FetchFn; limits: FetchLimits; allowRedirect: (to: URL) => boolean },
): Promise<{ contentType: Exclude<ImageType, 'image/svg+xml'>; bytes: Buffer }> {
  const signal = AbortSignal.timeout(opts.limits.timeoutMs);
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      const res = await opts.fetch(current, { redirect: 'manual', signal, headers: { accept: 'image/*' } });
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel();
        const location = res.headers.get('location');
        const next = location ? new URL(location, current) : null;
        if (!next || hop >= 3 || !opts.allowRedirect(next)) throw new PhotoUnavailableError('not_allowed', 'the platform redirected the photo somewhere not allowed');
        current = next;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new PhotoUnavailableError('upstream', `the platform answered ${res.status} for the photo`);
      }
      const declared = Number(res.headers.get('content-length') ?? '0');
      if (declared > opts.limits.maxBytes) {
        await res.body?.cancel();
        throw new PhotoUnavailableError('too_large', `the photo is larger than ${opts.limits.maxBytes} bytes`);
      }
      const bytes = await readCapped(res, opts.limits.maxBytes);
      const contentType = sniffImageType(bytes);
      if (!contentType) throw new PhotoUnavailableError('not_image', 'the platform answered something that is not a JPEG, PNG, GIF or WebP image');
      return { contentType, bytes };
    }
  } catch (err) {
    if (err instanceof PhotoUnavailableError) throw err;
    if (signal.aborted) throw new PhotoUnavailableError('timeout', `the platform did not send the photo within ${opts.limits.timeoutMs} ms`);
    // fetch errors may quote the URL, which holds the bot token for Telegram: keep only the kind.
    throw new PhotoUnavailableError('upstream', `the photo could not be downloaded (${errorName(err)})`);
  }
}

/** Reads the body, stopping as soon as it passes `max` bytes (Content-Length may be absent or wrong). */
async function readCapped(res: Response, max: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new PhotoUnavailableError('too_large', `the photo is larger than ${max} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** The part of telegraf's `Telegram` client used here (`bot.telegram`). */
export interface TelegramFileLinks {
  getFileLink(fileId: string): Promise<URL>;
}

/**
 * Telegram: `getFile` gives a `file_path`, downloaded from
 * `<apiRoot>/file/bot<token>/<file_path>` (https://core.telegram.org/bots/api#getfile);
 * telegraf's `getFileLink` builds that URL. The URL holds the bot token, so it is
 * never logged or put in an error. A local Bot API server in `--local` mode
 * answers absolute disk paths (`file:` links): not supported here.
 */
export class TelegramPhotoSource implements PhotoSource {
  readonly platform = 'telegram';

  constructor(
    /** A getter: the Telegram channel is built after the admin routes, and may be off. */
    private readonly client: () => TelegramFileLinks | undefined,
    private readonly limits: FetchLimits = DEFAULT_FETCH_LIMITS,
    private readonly fetchFn: FetchFn = fetch,
  ) {}

  async load(ref: string): Promise<EvidencePhoto> {
    const client = this.client();
    if (!client) throw new PhotoUnavailableError('not_configured', 'Telegram is not configured on this server');
    if (!TELEGRAM_FILE_ID.test(ref)) throw new PhotoUnavailableError('unknown_ref', 'not a Telegram file id');
    let link: URL;
    try {
      link = await client.getFileLink(ref);
    } catch (err) {
      // TelegramError carries Telegram's description ("Bad Request: invalid file_id"), which holds no secret.
      const description = (err as { description?: unknown }).description;
      throw new PhotoUnavailableError('upstream', `Telegram refused the file${typeof description === 'string' ? `: ${description}` : ''}`);
    }
    if (link.protocol !== 'https:' && link.protocol !== 'http:') {
      throw new PhotoUnavailableError('not_configured', 'the Bot API server keeps files on its own disk (local mode); not supported');
    }
    const origin = link.origin;
    const image = await fetchImage(link, { fetch: this.fetchFn, limits: this.limits, allowRedirect: (to) => to.origin === origin });
    return { platform: 'telegram', ...image };
  }
}

/**
 * Zalo's image CDN domains (user photos arrive as e.g. `https://photo-stal-9.zdn.vn/…`
 * or `https://…zadn.vn/…`), with their subdomains. A stored URL on any other
 * host is never fetched: the server must not be made to request an address a
 * chat user chose.
 */
export const ZALO_IMAGE_HOSTS: readonly string[] = ['zdn.vn', 'zadn.vn'];

/** Zalo: the webhook event carries an https URL of the image on Zalo's CDN, fetched as is. */
export class ZaloPhotoSource implements PhotoSource {
  readonly platform = 'zalo';

  constructor(
    private readonly opts: { hosts?: readonly string[]; limits?: FetchLimits; fetch?: FetchFn } = {},
  ) {}

  /** https, default port, no credentials, on an allowed host or its subdomain. */
  allows(url: URL): boolean {
    if (url.protocol !== 'https:' || url.port !== '' || url.username !== '' || url.password !== '') return false;
    const host = url.hostname.toLowerCase();
    return (this.opts.hosts ?? ZALO_IMAGE_HOSTS).some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
  }

  async load(ref: string): Promise<EvidencePhoto> {
    let url: URL;
    try {
      url = new URL(ref);
    } catch {
      throw new PhotoUnavailableError('unknown_ref', 'not a valid image URL');
    }
    if (!this.allows(url)) throw new PhotoUnavailableError('not_allowed', 'the image URL is not on a Zalo image host');
    const image = await fetchImage(url, {
      fetch: this.opts.fetch ?? fetch,
      limits: this.opts.limits ?? DEFAULT_FETCH_LIMITS,
      allowRedirect: (to) => this.allows(to),
    });
    return { platform: 'zalo', ...image };
  }
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/**
 * The browser simulator has no real photo behind its placeholder: staff get a
 * drawn card that says so, in both languages, with the placeholder's short id
 * so two "photos" can be told apart.
 */
export class SimulatorPhotoSource implements PhotoSource {
  readonly platform = 'simulator';

  async load(ref: string): Promise<EvidencePhoto> {
    const match = SIMULATOR_REF.exec(ref);
    if (!match) throw new PhotoUnavailableError('unknown_ref', 'not a simulator photo reference');
    const shortId = escapeXml((match[1] ?? '').slice(0, 8));
    const svg = [
      '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480" viewBox="0 0 640 480">',
      '<rect width="640" height="480" fill="#eef2f7"/>',
      '<rect x="24" y="24" width="592" height="432" rx="16" fill="none" stroke="#64748b" stroke-width="4" stroke-dasharray="16 10"/>',
      '<g fill="#334155" font-family="Noto Sans, DejaVu Sans, Arial, sans-serif" text-anchor="middle">',
      '<text x="320" y="200" font-size="40" font-weight="700">Ảnh mô phỏng</text>',
      '<text x="320" y="252" font-size="28">Simulated photo</text>',
      `<text x="320" y="320" font-size="22" fill="#64748b">${shortId}</text>`,
      '</g></svg>',
    ].join('');
    return { platform: 'simulator', contentType: 'image/svg+xml', bytes: Buffer.from(svg, 'utf8') };
  }
}

/** Routes a stored reference to its platform's source. */
export class EvidencePhotos {
  private readonly sources: Map<PhotoPlatform, PhotoSource>;

  constructor(sources: PhotoSource[]) {
    this.sources = new Map(sources.map((s) => [s.platform, s]));
  }

  async load(ref: string): Promise<EvidencePhoto> {
    const platform = platformOfRef(ref);
    if (!platform) throw new PhotoUnavailableError('unknown_ref', 'the stored photo reference has an unknown shape');
    const source = this.sources.get(platform);
    if (!source) throw new PhotoUnavailableError('not_configured', `${platform} photos cannot be fetched on this server`);
    return source.load(ref);
  }
}

/** The sources a running app has: Telegram when configured (read lazily), Zalo's CDN, the simulator's placeholder. */
export function createEvidencePhotos(telegram: () => TelegramFileLinks | undefined): EvidencePhotos {
  return new EvidencePhotos([new TelegramPhotoSource(telegram), new ZaloPhotoSource(), new SimulatorPhotoSource()]);
}
