/**
 * Token usage → cost, exactly. Prices are USD per 1M tokens stored as numeric(12,6) and arrive as decimal
 * strings. One unit of the 6th decimal of a per-million price is 1e-6 $ / 1e6 tokens = 1e-12 $ per token,
 * so `tokens × price-in-micro-units` is the cost in pico-dollars — an exact integer (BigInt). No float ever
 * touches money; costs are stored as numeric(20,12) (`usd`, 12 decimals) and sum exactly in SQL.
 */

export interface ModelPrices {
  /** USD per 1M input tokens, e.g. "2.5" or "0.075000"; null = not priced. */
  inputPricePerMillion: string | null;
  outputPricePerMillion: string | null;
  /** Cache-read input price; null = cached tokens cost the normal input price. */
  cachedInputPricePerMillion: string | null;
}

export interface TokenCounts {
  /** All input tokens, cached ones included (the AI SDK's `inputTokens`). */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache (a subset of inputTokens). */
  cachedInputTokens: number;
  /** Output tokens spent on reasoning (a subset of outputTokens; informational). */
  reasoningTokens: number;
}

/**
 * Tokens for text the provider did not count for us (an answer stopped or cut before its usage frame):
 * about four characters per token, the usual rule for English with GPT-style tokenizers; an attached file
 * counts as a flat 1,000 (a mid-size image or page). An estimate, flagged wherever it is stored.
 */
export const CHARS_PER_TOKEN = 4;
export const TOKENS_PER_FILE = 1_000;

export function estimateTokens(text: { chars: number; files?: number }): number {
  return Math.ceil(text.chars / CHARS_PER_TOKEN) + (text.files ?? 0) * TOKENS_PER_FILE;
}

/** A message of either prompt shape (the provider-level prompt, or the AI SDK's `ModelMessage`). */
interface SizedMessage {
  content: string | ReadonlyArray<{ type: string; text?: unknown }>;
}

/** The size of a prompt for `estimateTokens`: characters of text (and reasoning), and attached files. */
export function promptSize(messages: readonly SizedMessage[]): { chars: number; files: number } {
  let chars = 0;
  let files = 0;
  for (const m of messages) {
    if (typeof m.content === 'string') {
      chars += m.content.length;
      continue;
    }
    for (const p of m.content) {
      if (typeof p.text === 'string') chars += p.text.length;
      else if (p.type === 'file' || p.type === 'image') files++;
    }
  }
  return { chars, files };
}

export interface Cost {
  /** Exact cost in 1e-12 USD. */
  picoUsd: bigint;
  /** The same as a decimal string with 12 decimals, for numeric(20,12) columns and JSON. */
  usd: string;
  /** False when the model has no input or output price set (cost counted as 0 for that part). */
  priced: boolean;
}

export const PRICE_PATTERN = /^\d{1,6}(\.\d{1,6})?$/;
const PICO_DECIMALS = 12;

/** "2.5" → 2_500_000n (micro-USD per 1M tokens = pico-USD per token). Rejects anything not a plain decimal. */
export function priceToMicros(price: string): bigint {
  const p = price.trim();
  if (!PRICE_PATTERN.test(p)) throw new RangeError(`not a price with at most 6 decimals: ${price}`);
  const [whole, frac = ''] = p.split('.');
  return BigInt(whole!) * 1_000_000n + BigInt(frac.padEnd(6, '0'));
}

/** Formats pico-USD as a decimal USD string with 12 decimals ("0.000012345000"). */
export function formatPicoUsd(pico: bigint): string {
  const negative = pico < 0n;
  const abs = negative ? -pico : pico;
  const scale = 10n ** BigInt(PICO_DECIMALS);
  const whole = abs / scale;
  const frac = (abs % scale).toString().padStart(PICO_DECIMALS, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

/** Parses a numeric(…,≤12) USD string back to pico-USD (for budgets and sums read from the database). */
export function parseUsdToPico(usd: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{0,12}))?$/.exec(usd.trim());
  if (!m) throw new RangeError(`not a USD amount: ${usd}`);
  const value = BigInt(m[2]!) * 10n ** 12n + BigInt((m[3] ?? '').padEnd(12, '0'));
  return m[1] ? -value : value;
}

/**
 * Cost of one call. Uncached input at the input price, cache reads at the cached price (or the input price
 * when none is set), output (reasoning included — providers bill it as output) at the output price.
 * Cache writes are billed at the input price (some providers add a surcharge we do not model).
 */
export function computeCost(tokens: TokenCounts, prices: ModelPrices): Cost {
  const micros = (p: string | null) => (p === null ? 0n : priceToMicros(p));
  const input = micros(prices.inputPricePerMillion);
  const output = micros(prices.outputPricePerMillion);
  const cached =
    prices.cachedInputPricePerMillion === null ? input : micros(prices.cachedInputPricePerMillion);
  const cachedTokens = BigInt(Math.min(tokens.cachedInputTokens, tokens.inputTokens));
  const uncachedTokens = BigInt(tokens.inputTokens) - cachedTokens;
  const picoUsd = uncachedTokens * input + cachedTokens * cached + BigInt(tokens.outputTokens) * output;
  return {
    picoUsd,
    usd: formatPicoUsd(picoUsd),
    priced: prices.inputPricePerMillion !== null && prices.outputPricePerMillion !== null,
  };
}

/** Exact sum of costs given as USD strings (e.g. rows read back from the database). */
export function sumUsd(amounts: string[]): string {
  return formatPicoUsd(amounts.reduce((acc, a) => acc + parseUsdToPico(a), 0n));
}
