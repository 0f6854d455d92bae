/**
 * This month's usage against the budget, from GET /api/usage/me/budget's shape. A meter when there is a
 * limit (cost first, else tokens); plain numbers when there is none.
 */

import { cn } from '~/lib/cn';
import { formatUsd } from '~/lib/format';
import { useLocale } from '~/lib/root-data';
import { budgetReachedMessage, budgetTokens } from '../../../api/features/usage/budget-wording';
import type { BudgetStatusView } from '../../../api/features/usage/usage.schemas';

export function UsageMeter({ status, className }: { status: BudgetStatusView | null; className?: string }) {
  const locale = useLocale();
  if (!status) return null;
  const byCost = status.limitCostUsd !== null;
  const limit = byCost ? Number(status.limitCostUsd) : status.limitTokens;
  const used = byCost ? Number(status.usedCostUsd) : status.usedTokens;
  // Numbers as the budget's message below writes them (the person's locale), so the two never disagree.
  const fmt = (n: number) => (byCost ? formatUsd(n) : budgetTokens(n, locale));
  const ratio = limit ? Math.min(1, used / limit) : 0;
  const tone = status.exceeded || ratio >= 1 ? 'bg-danger' : ratio >= 0.8 ? 'bg-amber-500' : 'bg-primary';
  return (
    <div className={cn('text-xs text-fg-muted', className)}>
      <div className="flex items-baseline justify-between gap-2">
        <span className="font-medium text-fg">This month</span>
        <span>
          {limit === null ? (
            <>
              {formatUsd(status.usedCostUsd)} · {budgetTokens(status.usedTokens, locale)}
            </>
          ) : (
            <>
              {fmt(used)} of {fmt(limit)}
            </>
          )}
        </span>
      </div>
      {limit !== null ? (
        // biome-ignore lint/a11y/useSemanticElements: a native <meter> cannot be styled consistently across browsers
        <div
          role="meter"
          aria-label="Usage of this month's budget"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(ratio * 100)}
          aria-valuetext={`${fmt(used)} of ${fmt(limit)} used`}
          className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-surface-muted"
        >
          <div
            className={cn('h-full rounded-full', tone)}
            style={{ width: `${Math.max(2, ratio * 100)}%` }}
          />
        </div>
      ) : null}
      {status.exceeded ? (
        <p className="mt-1.5 font-medium text-danger-soft-fg">{budgetReachedMessage(status, locale)}</p>
      ) : null}
    </div>
  );
}
