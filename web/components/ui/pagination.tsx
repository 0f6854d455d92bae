/**
 * Page links (not buttons) so every page has a URL, works without JavaScript and keeps the browser history.
 * `href(page)` builds each link, e.g. `(p) => `?q=${q}&page=${p}``.
 */
import { Link } from '@remix-run/react';
import { cn } from '../../lib/cn';
import { buttonClasses } from './button';

/** Which page numbers to show: first, last, and a window around the current one; null = a gap. */
export function pageWindow(page: number, pageCount: number, around = 1): Array<number | null> {
  const pages: Array<number | null> = [];
  for (let p = 1; p <= pageCount; p++) {
    if (p === 1 || p === pageCount || Math.abs(p - page) <= around) pages.push(p);
    else if (pages.at(-1) !== null) pages.push(null);
  }
  return pages;
}

export function Pagination({
  page,
  pageCount,
  href,
  label = 'Pagination',
  className,
}: {
  page: number;
  pageCount: number;
  href: (page: number) => string;
  label?: string;
  className?: string;
}) {
  if (pageCount <= 1) return null;
  const edge = (target: number, text: string, disabled: boolean) =>
    disabled ? (
      <span className={buttonClasses('secondary', 'sm', 'opacity-50')} aria-disabled="true">
        {text}
      </span>
    ) : (
      <Link
        to={href(target)}
        className={buttonClasses('secondary', 'sm')}
        rel={text === 'Next' ? 'next' : 'prev'}
      >
        {text}
      </Link>
    );
  return (
    <nav aria-label={label} className={cn('flex flex-wrap items-center justify-between gap-2', className)}>
      {edge(page - 1, 'Previous', page <= 1)}
      <ul className="flex flex-wrap items-center gap-1">
        {pageWindow(page, pageCount).map((p, i) =>
          p === null ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: gaps have no identity of their own
            <li key={`gap-${i}`} className="px-2 text-fg-muted" aria-hidden="true">
              …
            </li>
          ) : (
            <li key={p}>
              <Link
                to={href(p)}
                aria-current={p === page ? 'page' : undefined}
                aria-label={`Page ${p}`}
                className={buttonClasses(p === page ? 'primary' : 'ghost', 'sm', 'min-w-8')}
              >
                {p}
              </Link>
            </li>
          ),
        )}
      </ul>
      {edge(page + 1, 'Next', page >= pageCount)}
    </nav>
  );
}
