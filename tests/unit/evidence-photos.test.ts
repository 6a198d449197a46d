import { describe, expect, it } from 'vitest';
import {
  EvidencePhotos,
  platformOfRef,
  PhotoUnavailableError,
  SimulatorPhotoSource,
  sniffImageType,
  TelegramPhotoSource,
  ZaloPhotoSource,
  type PhotoUnavailableReason,
} from '../../src/domain/evidence-photos.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const LIMITS = { maxBytes: 64, timeoutMs: 200 };

/** A fetch standing in for the network: answers from a table by URL and records what was asked. */
function fakeFetch(answers: Record<string, () => Response>) {
  const asked: string[] = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    asked.push(url);
    const answer = answers[url];
    if (!answer) throw new TypeError('fetch failed');
    if (init?.redirect !== 'manual') throw new Error('redirects must be handled by the source');
    return answer();
  }) as typeof fetch;
  return { fn, asked };
}

async function reasonOf(promise: Promise<unknown>): Promise<PhotoUnavailableReason> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof PhotoUnavailableError)) throw new Error(`expected PhotoUnavailableError, got ${String(err)}`);
  return err.reason;
}

describe('photo references', () => {
  it('tells the platform from the shape of the stored reference', () => {
    expect(platformOfRef('AgACAgIAAxkBAAIBdWZ_abc-123')).toBe('telegram');
    expect(platformOfRef('simulator-photo-3f9a2c1e-0b7d-4c55-9e21-5a6b7c8d9e0f')).toBe('simulator');
    expect(platformOfRef('https://photo-stal-9.zdn.vn/x.jpg')).toBe('zalo');
    expect(platformOfRef('../../etc/passwd')).toBeNull();
    expect(platformOfRef('file:///etc/passwd')).toBeNull();
  });

  it('recognises images by their bytes, not by what the server claims', () => {
    expect(sniffImageType(JPEG)).toBe('image/jpeg');
    expect(sniffImageType(PNG)).toBe('image/png');
    expect(sniffImageType(Buffer.from('GIF89a....'))).toBe('image/gif');
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'))).toBeNull();
    expect(sniffImageType(Buffer.from('<html>'))).toBeNull();
  });
});

describe('Zalo photo source', () => {
  const url = 'https://photo-stal-9.zdn.vn/evidence/abc.jpg';

  it('fetches an https image from a Zalo image host', async () => {
    const net = fakeFetch({ [url]: () => new Response(PNG, { headers: { 'content-type': 'application/octet-stream' } }) });
    const photo = await new ZaloPhotoSource({ fetch: net.fn, limits: LIMITS }).load(url);
    expect(photo).toMatchObject({ platform: 'zalo', contentType: 'image/png' });
    expect(photo.bytes.equals(PNG)).toBe(true);
  });

  it('refuses other hosts, plain http, ports and credentials without a request', async () => {
    const net = fakeFetch({});
    const source = new ZaloPhotoSource({ fetch: net.fn, limits: LIMITS });
    for (const ref of [
      'https://photo.zalo.example/a.jpg',
      'https://zdn.vn.attacker.example/a.jpg',
      'https://evilzdn.vn/a.jpg',
      'http://photo-stal-9.zdn.vn/a.jpg',
      'https://photo-stal-9.zdn.vn:8443/a.jpg',
      'https://user:pw@photo-stal-9.zdn.vn/a.jpg',
      'https://127.0.0.1/a.jpg',
    ]) {
      expect(await reasonOf(source.load(ref)), ref).toBe('not_allowed');
    }
    expect(net.asked).toEqual([]);
  });

  it('follows a redirect only to another Zalo image host', async () => {
    const hop = 'https://s120.zadn.vn/abc.jpg';
    const net = fakeFetch({
      [url]: () => new Response(null, { status: 302, headers: { location: hop } }),
      [hop]: () => new Response(JPEG),
      'https://cdn.zdn.vn/out': () => new Response(null, { status: 301, headers: { location: 'http://169.254.169.254/latest/meta-data' } }),
    });
    const source = new ZaloPhotoSource({ fetch: net.fn, limits: LIMITS });
    expect((await source.load(url)).contentType).toBe('image/jpeg');
    expect(await reasonOf(source.load('https://cdn.zdn.vn/out'))).toBe('not_allowed');
    expect(net.asked).not.toContain('http://169.254.169.254/latest/meta-data');
  });

  it('refuses answers that are too large, declared or streamed', async () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(100)]);
    const declared = fakeFetch({ [url]: () => new Response(big, { headers: { 'content-length': String(big.length) } }) });
    expect(await reasonOf(new ZaloPhotoSource({ fetch: declared.fn, limits: LIMITS }).load(url))).toBe('too_large');
    const streamed = fakeFetch({
      [url]: () =>
        new Response(
          new ReadableStream({
            start(controller) {
              for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(big.subarray(0, 16)));
              controller.close();
            },
          }),
        ),
    });
    expect(await reasonOf(new ZaloPhotoSource({ fetch: streamed.fn, limits: LIMITS }).load(url))).toBe('too_large');
  });

  it('refuses what is not a raster image, error answers, and a platform that does not answer in time', async () => {
    const svg = fakeFetch({ [url]: () => new Response('<svg xmlns="http://www.w3.org/2000/svg"/>', { headers: { 'content-type': 'image/svg+xml' } }) });
    expect(await reasonOf(new ZaloPhotoSource({ fetch: svg.fn, limits: LIMITS }).load(url))).toBe('not_image');
    const gone = fakeFetch({ [url]: () => new Response('gone', { status: 404 }) });
    expect(await reasonOf(new ZaloPhotoSource({ fetch: gone.fn, limits: LIMITS }).load(url))).toBe('upstream');
    const hanging = (async (_input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      })) as typeof fetch;
    expect(await reasonOf(new ZaloPhotoSource({ fetch: hanging, limits: { maxBytes: 64, timeoutMs: 30 } }).load(url))).toBe('timeout');
  });
});

describe('Telegram photo source', () => {
  it('downloads from the file link and keeps the token out of errors', async () => {
    const link = 'https://api.telegram.org/file/bot123:SECRET/photos/file_1.jpg';
    const net = fakeFetch({ [link]: () => new Response(JPEG) });
    const source = new TelegramPhotoSource(() => ({ getFileLink: async () => new URL(link) }), LIMITS, net.fn);
    expect((await source.load('AgACAgIAAxkB')).contentType).toBe('image/jpeg');

    const failing = new TelegramPhotoSource(() => ({ getFileLink: async () => new URL(link) }), LIMITS, fakeFetch({}).fn);
    const err = await failing.load('AgACAgIAAxkB').catch((e: unknown) => e as Error);
    expect((err as PhotoUnavailableError).reason).toBe('upstream');
    expect((err as Error).message).not.toContain('SECRET');
  });

  it('is unavailable when Telegram is off, and for local-mode disk paths', async () => {
    expect(await reasonOf(new TelegramPhotoSource(() => undefined).load('AgACAgIAAxkB'))).toBe('not_configured');
    const local = new TelegramPhotoSource(() => ({ getFileLink: async () => new URL('file:///var/lib/telegram-bot-api/photos/file_1.jpg') }));
    expect(await reasonOf(local.load('AgACAgIAAxkB'))).toBe('not_configured');
  });
});

describe('evidence photos', () => {
  it('routes each reference to its platform and refuses unknown shapes', async () => {
    const photos = new EvidencePhotos([new SimulatorPhotoSource()]);
    expect((await photos.load('simulator-photo-abc123')).contentType).toBe('image/svg+xml');
    expect(await reasonOf(photos.load('AgACAgIAAxkB'))).toBe('not_configured');
    expect(await reasonOf(photos.load('<script>'))).toBe('unknown_ref');
  });
});
