/**
 * Guards WCAG 2.1 AA for the design tokens in web/tailwind.css, in both themes: 4.5:1 for text pairs the
 * components use, 3:1 for control borders and the focus ring (SC 1.4.3, 1.4.11).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AA_NON_TEXT, AA_TEXT, contrastRatio as contrast } from '../../api/lib/contrast';

const css = readFileSync(path.join(import.meta.dirname, '..', 'tailwind.css'), 'utf8');

function tokens(block: string): Record<string, string> {
  return Object.fromEntries(
    [...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1]!, m[2]!]),
  );
}

const rootBlock = css.slice(css.indexOf(':root {'), css.indexOf('@theme inline'));
const darkStart = rootBlock.indexOf('@variant dark');
const THEMES = {
  light: tokens(rootBlock.slice(0, darkStart)),
  dark: { ...tokens(rootBlock.slice(0, darkStart)), ...tokens(rootBlock.slice(darkStart)) },
};

const TEXT: Array<[string, string]> = [
  ['fg', 'bg'],
  ['fg', 'surface'],
  ['fg', 'canvas'],
  ['fg', 'surface-muted'],
  ['fg-muted', 'surface'],
  ['fg-muted', 'canvas'],
  ['fg-muted', 'surface-muted'],
  ['link', 'surface'],
  ['link', 'canvas'],
  ['primary-fg', 'primary'],
  ['primary-fg', 'primary-hover'],
  ['danger-fg', 'danger'],
  ['danger-fg', 'danger-hover'],
  ['primary-soft-fg', 'primary-soft'],
  ['danger-soft-fg', 'danger-soft'],
  ['danger-soft-fg', 'surface'],
  ['success-soft-fg', 'success-soft'],
  ['warning-soft-fg', 'warning-soft'],
];
const NON_TEXT: Array<[string, string]> = [
  ['border-strong', 'surface'],
  ['border-strong', 'surface-muted'],
  ['ring', 'surface'],
  ['ring', 'canvas'],
];

describe.each(Object.entries(THEMES))('%s theme tokens', (_name, t) => {
  it('found the tokens', () => {
    expect(Object.keys(t).length).toBeGreaterThan(20);
  });
  it.each(TEXT)('%s on %s reaches 4.5:1', (fg, bg) => {
    expect(contrast(t[fg]!, t[bg]!)).toBeGreaterThanOrEqual(AA_TEXT);
  });
  it.each(NON_TEXT)('%s on %s reaches 3:1', (fg, bg) => {
    expect(contrast(t[fg]!, t[bg]!)).toBeGreaterThanOrEqual(AA_NON_TEXT);
  });
});
