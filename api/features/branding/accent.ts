/**
 * The accent colour: a hex colour (#0f766e, #0F766E or #0f7) stored as lowercase #rrggbb. Buttons carry
 * white text on it and links use it on the light page background, so both must reach WCAG AA's 4.5:1; a
 * lighter colour is refused with the ratio it reaches, in words. `accentCss` is the stylesheet that applies
 * it (served as a file: the page's CSP allows no inline <style> of ours).
 */
import { z } from 'zod';
import { AA_TEXT, contrastRatio, formatRatio } from '../../lib/contrast';

/** The light theme's page background (--canvas in web/tailwind.css), the lightest a link sits on after white. */
const LIGHT_CANVAS = '#f8fafc';

const expand = (hex: string) => {
  const h = hex.replace(/^#/, '').toLowerCase();
  return `#${h.length === 3 ? [...h].map((c) => c + c).join('') : h}`;
};

export const AccentColor = z
  .string({ error: 'must be a hex colour such as #0f766e' })
  .trim()
  .regex(/^#?([0-9a-f]{3}|[0-9a-f]{6})$/i, 'must be a hex colour such as #0f766e')
  .transform(expand)
  .superRefine((hex, ctx) => {
    const ratio = Math.min(contrastRatio(hex, '#ffffff'), contrastRatio(hex, LIGHT_CANVAS));
    if (ratio < AA_TEXT)
      ctx.addIssue({
        code: 'custom',
        message: `is too light: white text on ${hex} (and ${hex} links on the page) reach only ${formatRatio(ratio)} contrast; WCAG AA needs at least ${AA_TEXT}:1, so choose a darker colour`,
      });
  });

/**
 * CSS custom properties for the accent. Buttons (--primary) in both themes: white text on it passes. Links
 * and focus rings only in the light theme: the dark theme keeps its own light tones, which read on dark.
 */
export function accentCss(hex: string): string {
  const light = `--link: ${hex};\n  --ring: ${hex};`;
  return [
    '/* Accent colour from Admin → Settings → Branding. */',
    `:root {\n  --primary: ${hex};\n  --primary-hover: color-mix(in srgb, ${hex} 82%, #000000);\n}`,
    `:root[data-theme="light"] {\n  ${light}\n}`,
    `@media (prefers-color-scheme: light) {\n  :root[data-theme="system"] {\n    ${light}\n  }\n}`,
    '',
  ].join('\n');
}
