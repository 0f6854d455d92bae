/**
 * Checks an uploaded logo before anything is stored: at most 512 KB, a PNG, JPEG or WebP by its content
 * (magic bytes, never the name or the browser's type), and its pixel size read from the image header within
 * bounds. SVG is refused on purpose: it is a document that can carry script. Every refusal names the
 * `logo` field and says what was found.
 */
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../lib/errors';

export const LOGO_LIMITS = {
  bytes: 512 * 1024,
  minSide: 16,
  maxSide: 2048,
} as const;

export const LOGO_TYPES = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' } as const;
export type LogoMediaType = keyof typeof LOGO_TYPES;

export interface LogoImage {
  mediaType: LogoMediaType;
  width: number;
  height: number;
}

const refuse = (code: 'payload_too_large' | 'unsupported_media_type' | 'validation', message: string) =>
  new AppError(`${code}:branding`, message, { details: { fields: { logo: message } } });

export async function readLogoImage(bytes: Uint8Array): Promise<LogoImage> {
  if (bytes.byteLength === 0) throw refuse('validation', 'The logo file is empty');
  if (bytes.byteLength > LOGO_LIMITS.bytes)
    throw refuse(
      'payload_too_large',
      `The logo is ${Math.ceil(bytes.byteLength / 1024)} KB; it may be at most ${LOGO_LIMITS.bytes / 1024} KB`,
    );
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected || !(detected.mime in LOGO_TYPES)) {
    const found = looksLikeSvg(bytes)
      ? 'an SVG image (not accepted: SVG can carry scripts)'
      : detected
        ? `of type ${detected.ext.toUpperCase()} (${detected.mime})`
        : 'not an image we recognise';
    throw refuse(
      'unsupported_media_type',
      `The logo must be a PNG, JPEG or WebP image; this file is ${found}`,
    );
  }
  const mediaType = detected.mime as LogoMediaType;
  const size = imageSize(mediaType, bytes);
  if (!size) throw refuse('validation', 'The logo image is damaged: its size could not be read');
  const { width, height } = size;
  if (Math.max(width, height) > LOGO_LIMITS.maxSide || Math.min(width, height) < LOGO_LIMITS.minSide)
    throw refuse(
      'validation',
      `The logo is ${width}×${height} pixels; each side must be ${LOGO_LIMITS.minSide} to ${LOGO_LIMITS.maxSide} pixels`,
    );
  return { mediaType, width, height };
}

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 4096)).toLowerCase();
  return head.includes('<svg');
}

/** Width and height from the header of a PNG, JPEG or WebP; null when the header is cut or malformed. */
export function imageSize(type: LogoMediaType, b: Uint8Array): { width: number; height: number } | null {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ascii = (at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
  try {
    if (type === 'image/png') {
      // PNG §5.3, §11.2.2: the first chunk is IHDR; width and height are its first two 4-byte fields.
      if (ascii(12, 4) !== 'IHDR') return null;
      return valid(view.getUint32(16), view.getUint32(20));
    }
    if (type === 'image/jpeg') return jpegSize(b, view);
    // WebP container (RIFF): the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended).
    const chunk = ascii(12, 4);
    if (chunk === 'VP8 ') return valid(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
    if (chunk === 'VP8L') {
      const bits = view.getUint32(21, true);
      return valid((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
    }
    if (chunk === 'VP8X') {
      const u24 = (at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
      return valid(u24(24) + 1, u24(27) + 1);
    }
    return null;
  } catch {
    return null; // read past the end: a cut file
  }
}

/** ITU T.81 §B.2: walk the marker segments to the first start-of-frame (SOFn), which holds the size. */
function jpegSize(b: Uint8Array, view: DataView): { width: number; height: number } | null {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return valid(view.getUint16(at + 7), view.getUint16(at + 5));
    if (marker === 0xda || marker === 0xd9) return null; // scan data or end before any frame
    at += 2 + view.getUint16(at + 2);
  }
  return null;
}

const valid = (width: number, height: number) => (width > 0 && height > 0 ? { width, height } : null);
