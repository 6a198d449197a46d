import jsQRModule from 'jsqr';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { sniffImageType } from '../evidence-photos.js';

/** Pixels as RGBA bytes. */
interface Rgba {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Photos larger than this (in pixels) are refused rather than decoded: a phone photo is 12 MP at most. */
const MAX_PIXELS = 16_000_000;

// jsqr is CommonJS: under Node's ESM its default import is module.exports, whose `default` is the function.
const jsQR = jsQRModule.default;

/** JPEG or PNG bytes as RGBA pixels; null for another format or a damaged file. */
export function decodeImage(bytes: Buffer): Rgba | null {
  try {
    switch (sniffImageType(bytes)) {
      case 'image/jpeg': {
        const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 256 });
        return { data: new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), width: image.width, height: image.height };
      }
      case 'image/png': {
        const image = PNG.sync.read(bytes);
        if (image.width * image.height > MAX_PIXELS) return null;
        return { data: new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), width: image.width, height: image.height };
      }
      default:
        return null;
    }
  } catch {
    // A truncated or corrupt file: the person is asked for another photo.
    return null;
  }
}

/** Halves an image (2×2 average): a large phone photo decodes faster, and a blurred code sometimes better. */
function halve(image: Rgba): Rgba {
  const width = Math.floor(image.width / 2);
  const height = Math.floor(image.height / 2);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        const at = (dx: number, dy: number) => image.data[((2 * y + dy) * image.width + 2 * x + dx) * 4 + c]!;
        data[(y * width + x) * 4 + c] = (at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) >> 2;
      }
    }
  }
  return { data, width, height };
}

/**
 * The text of the QR code in a photo (jsQR finds it at any angle), or null
 * when there is none it can read. Tries the photo as it is, then smaller.
 */
export function readQrText(bytes: Buffer): string | null {
  let image = decodeImage(bytes);
  for (let attempt = 0; image && attempt < 3; attempt++) {
    const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' });
    if (code?.data) return code.data;
    if (image.width < 200 || image.height < 200) break;
    image = halve(image);
  }
  return null;
}
