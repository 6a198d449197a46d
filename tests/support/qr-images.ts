import QRCode from 'qrcode';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** How a test photo of a QR code is spoiled, as a phone camera would. */
export interface Spoil {
  /** Degrees, clockwise. */
  rotate?: number;
  /** Random grey noise, 0-255 at most per pixel. */
  noise?: number;
  /** Width and height of the final photo in pixels (the code is scaled into it). */
  size?: number;
  format?: 'png' | 'jpeg';
  /** JPEG quality, 1-100. */
  quality?: number;
}

/** A deterministic random source, so a failing picture can be drawn again. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) % 1_000_000) / 1_000_000;
  };
}

/** Draws `text` as a QR code and spoils it: rotated on a white page, noisy, small, JPEG-compressed. */
export async function qrPhoto(text: string, spoil: Spoil = {}, seed = 1): Promise<Buffer> {
  const clean = PNG.sync.read(await QRCode.toBuffer(text, { type: 'png', margin: 4, scale: 8, errorCorrectionLevel: 'M' }));
  const size = spoil.size ?? Math.round(clean.width * 1.5);
  const out = new Uint8Array(size * size * 4);
  const angle = ((spoil.rotate ?? 0) * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // The code fills about two thirds of the photo, centred; each photo pixel samples the code (nearest pixel).
  const scale = (clean.width * 1.5) / size;
  const random = rng(seed);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x - size / 2) * scale;
      const dy = (y - size / 2) * scale;
      const sx = Math.round(cos * dx + sin * dy + clean.width / 2);
      const sy = Math.round(-sin * dx + cos * dy + clean.height / 2);
      const inside = sx >= 0 && sy >= 0 && sx < clean.width && sy < clean.height;
      let grey = inside ? clean.data[(sy * clean.width + sx) * 4]! : 255;
      if (spoil.noise) grey += (random() - 0.5) * 2 * spoil.noise;
      const v = Math.max(0, Math.min(255, Math.round(grey)));
      out.set([v, v, v, 255], (y * size + x) * 4);
    }
  }
  if (spoil.format === 'jpeg') {
    return Buffer.from(jpeg.encode({ data: Buffer.from(out), width: size, height: size }, spoil.quality ?? 75).data);
  }
  const png = new PNG({ width: size, height: size });
  png.data = Buffer.from(out);
  return PNG.sync.write(png);
}

/** A photo with no QR code in it: a grey gradient with noise. */
export function plainPhoto(size = 300): Buffer {
  const png = new PNG({ width: size, height: size });
  const random = rng(7);
  for (let i = 0; i < size * size; i++) {
    const v = Math.round(((i % size) / size) * 200 + random() * 40);
    png.data.set([v, v, v, 255], i * 4);
  }
  return PNG.sync.write(png);
}
