/** The logo check (type from content, size, pixel bounds) and the accent colour's rule, without a database. */
import { describe, expect, it } from 'vitest';
import { makeImage } from '../../../tests/helpers/documents';
import { AccentColor, accentCss } from './accent';
import { imageSize, readLogoImage } from './logo-image';

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: { status: number; details: { fields: Record<string, string> } }) => ({
      status: err.status,
      logo: err.details.fields.logo,
    }),
  );

describe('readLogoImage', () => {
  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['webp', 'image/webp'],
  ] as const)('accepts a %s and reads its pixel size from the header', async (type, mediaType) => {
    expect(await readLogoImage(await makeImage(type, 240, 80))).toEqual({
      mediaType,
      width: 240,
      height: 80,
    });
  });

  it('reads the size of lossy (VP8) and lossless (VP8L) WebP headers too', () => {
    const riff = (chunk: string, body: number[]) =>
      new Uint8Array([...Buffer.from('RIFF\0\0\0\0WEBP'), ...Buffer.from(chunk), 0, 0, 0, 0, ...body]);
    // VP8: frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height, little-endian.
    expect(
      imageSize('image/webp', riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x2c, 0x01, 0x64, 0x00])),
    ).toEqual({
      width: 300,
      height: 100,
    });
    // VP8L: signature 0x2f, then (width-1) in 14 bits and (height-1) in the next 14.
    const bits = (300 - 1) | ((100 - 1) << 14);
    expect(
      imageSize('image/webp', riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, 0])),
    ).toEqual({ width: 300, height: 100 });
  });

  it('refuses an SVG, a GIF and a renamed text file with 415, naming the logo field and what was found', async () => {
    const svg = new TextEncoder().encode(
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    expect(await refusal(readLogoImage(svg))).toEqual({
      status: 415,
      logo: 'The logo must be a PNG, JPEG or WebP image; this file is an SVG image (not accepted: SVG can carry scripts)',
    });
    const gif = new Uint8Array([...Buffer.from('GIF89a'), 1, 0, 1, 0, 0, 0, 0, 0x3b]);
    expect((await refusal(readLogoImage(gif))).logo).toBe(
      'The logo must be a PNG, JPEG or WebP image; this file is of type GIF (image/gif)',
    );
    expect((await refusal(readLogoImage(new TextEncoder().encode('hello')))).status).toBe(415);
  });

  it('refuses more than 512 KB (413), a cut file and out-of-bounds sizes (422), each in words', async () => {
    const big = new Uint8Array(512 * 1024 + 1);
    big.set(await makeImage('png', 20, 20));
    expect(await refusal(readLogoImage(big))).toEqual({
      status: 413,
      logo: 'The logo is 513 KB; it may be at most 512 KB',
    });
    const png = await makeImage('png', 200, 60);
    expect(await refusal(readLogoImage(png.subarray(0, 18)))).toEqual({
      status: 422,
      logo: 'The logo image is damaged: its size could not be read',
    });
    expect(await refusal(readLogoImage(await makeImage('png', 2100, 40)))).toEqual({
      status: 422,
      logo: 'The logo is 2100×40 pixels; each side must be 16 to 2048 pixels',
    });
    expect((await refusal(readLogoImage(await makeImage('jpeg', 8, 8)))).status).toBe(422);
    expect((await refusal(readLogoImage(new Uint8Array()))).logo).toBe('The logo file is empty');
  });
});

describe('AccentColor', () => {
  it('takes #rrggbb, #RRGGBB and #rgb, stored as lowercase #rrggbb', () => {
    expect(AccentColor.parse('#0F766E')).toBe('#0f766e');
    expect(AccentColor.parse(' 0f766e ')).toBe('#0f766e');
    expect(AccentColor.parse('#036')).toBe('#003366');
  });

  it('refuses what is not a hex colour, and a colour too light for white text, with the ratio in words', () => {
    expect(AccentColor.safeParse('teal').error?.issues[0]?.message).toBe(
      'must be a hex colour such as #0f766e',
    );
    expect(AccentColor.safeParse('#12345').success).toBe(false);
    expect(AccentColor.safeParse('#ffff00').error?.issues[0]?.message).toBe(
      'is too light: white text on #ffff00 (and #ffff00 links on the page) reach only 1:1 contrast; WCAG AA needs at least 4.5:1, so choose a darker colour',
    );
    // #2563eb passes on white (5.17:1) and on the light page background; #3b82f6 does not (3.68:1 on
    // white, 3.5:1 on the page background: the lower is reported).
    expect(AccentColor.safeParse('#2563eb').success).toBe(true);
    expect(AccentColor.safeParse('#3b82f6').error?.issues[0]?.message).toMatch(/reach only 3\.5:1/);
  });

  it('applies to buttons in both themes and to links and focus rings in the light theme only', () => {
    const css = accentCss('#0f766e');
    expect(css).toMatch(/^:root \{\n {2}--primary: #0f766e;/m);
    expect(css).toContain(':root[data-theme="light"] {\n  --link: #0f766e;\n  --ring: #0f766e;');
    expect(css).toContain('@media (prefers-color-scheme: light)');
    expect(css).not.toMatch(/data-theme="dark"/);
  });
});
