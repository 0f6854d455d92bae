/**
 * Text as we store it: no NUL or other C0 control characters (tab, newline and form feed stay), no lone
 * surrogates (replaced by U+FFFD, which Postgres text and UTF-8 JSON accept), newlines as `\n`, and NFC so
 * the same word typed or extracted two ways compares equal. Apply at every edge where outside text enters.
 */

// C0 controls except tab (09), newline (0a) and form feed (0c); CR is handled with the newlines.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function normalizeText(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd').replace(/\r\n?/g, '\n').replace(CONTROL, '').normalize('NFC');
}
