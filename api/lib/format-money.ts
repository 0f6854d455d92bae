/**
 * Money as people read it, one formatter for the API's messages and every page: US dollars with the
 * decimals that mean something. Pure (the web bundle imports it too).
 *   formatUsd(2.5)                       → "$2.50"
 *   formatUsd('0.000072')                → "$0.000072"   (costs under a cent: two significant digits)
 *   formatUsd('0.075', { exact: true })  → "$0.075"      (prices: as entered, at least two decimals)
 *   formatPricePair('2.5', '10')         → "$2.50 / $10.00 per 1M tokens"
 */
const CENTS = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const EXACT = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 6,
});
const SMALL = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumSignificantDigits: 2,
});

export function formatUsd(
  value: string | number | null | undefined,
  options: { exact?: boolean } = {},
): string {
  const n = typeof value === 'number' ? value : Number(value ?? 0);
  if (!Number.isFinite(n) || n === 0) return CENTS.format(0);
  if (options.exact) return EXACT.format(n);
  return Math.abs(n) < 0.01 ? SMALL.format(n) : CENTS.format(n);
}

/** A model's prices per million input and output tokens; "—" for a price not set. */
export function formatPricePair(input: string | null | undefined, output: string | null | undefined): string {
  const one = (p: string | null | undefined) =>
    p === null || p === undefined ? '—' : formatUsd(p, { exact: true });
  return `${one(input)} / ${one(output)} per 1M tokens`;
}
