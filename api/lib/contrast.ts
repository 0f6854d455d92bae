/**
 * WCAG 2.1 contrast between two sRGB colours given as #rrggbb (SC 1.4.3: 4.5:1 for text, SC 1.4.11: 3:1
 * for controls and focus indicators). Used by the design-token test and by the accent-colour setting.
 */
export const AA_TEXT = 4.5;
export const AA_NON_TEXT = 3;

/** Relative luminance (WCAG 2.1 §1.4.3 definition). */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** (L1 + 0.05) / (L2 + 0.05) with L1 the lighter colour: 1 (same) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** A ratio as people read it: "4.5:1", rounded down so a colour that fails never reads as passing. */
export const formatRatio = (ratio: number) => `${Math.floor(ratio * 10) / 10}:1`;
