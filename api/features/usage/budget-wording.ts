/**
 * The one wording of a used-up budget, for the API's error message (dates in English, UTC) and the pages
 * (dates in the person's locale): "You have used your monthly AI budget ($5.00 of $5.00). It resets on
 * 1 January 2027." Pure: the web bundle imports it.
 */
import { formatUsd } from '../../lib/format-money';

export interface BudgetFigures {
  limitTokens: number | null;
  limitCostUsd: string | null;
  usedTokens: number;
  usedCostUsd: string;
  resetsAt: string;
}

/** A budget's token count as the person's locale writes numbers: "120,000 tokens", "120.000 tokens" (de). */
export function budgetTokens(n: number, locale = 'en-US'): string {
  return `${new Intl.NumberFormat(locale).format(n)} tokens`;
}

/** "$1.20 of $5.00" or "120,000 of 100,000 tokens": the limit that was reached (tokens when both are). */
export function budgetUsage(b: BudgetFigures, locale = 'en-US'): string {
  if (b.limitTokens !== null && (b.limitCostUsd === null || b.usedTokens >= b.limitTokens)) {
    return `${new Intl.NumberFormat(locale).format(b.usedTokens)} of ${budgetTokens(b.limitTokens, locale)}`;
  }
  return `${formatUsd(b.usedCostUsd)} of ${formatUsd(b.limitCostUsd)}`;
}

/** When the budget starts again, as a date in `locale` (the month starts at 00:00 UTC). */
export function budgetResetDate(resetsAt: string, locale = 'en-GB'): string {
  const d = new Date(resetsAt);
  if (Number.isNaN(d.getTime())) return resetsAt;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

export function budgetReachedMessage(b: BudgetFigures, locale?: string): string {
  return `You have used your monthly AI budget (${budgetUsage(b, locale)}). It resets on ${budgetResetDate(b.resetsAt, locale)}.`;
}

/** The prompt alone would take more than what is left: the message is refused before it is sent. */
export function budgetTooSmallMessage(b: BudgetFigures, locale?: string): string {
  return `This message is too long for what is left of your monthly AI budget (${budgetUsage(b, locale)} used). Start a new conversation or shorten it; the budget resets on ${budgetResetDate(b.resetsAt, locale)}.`;
}
