/**
 * Light / dark / system switch. A plain form post without JavaScript (the server redirects back);
 * with JavaScript a fetcher posts it and the layout applies the choice at once.
 */
import { useFetcher, useLocation } from '@remix-run/react';
import { cn } from '../../lib/cn';
import type { Theme } from '../../lib/theme';

const OPTIONS: Array<{ value: Theme; label: string; icon: string }> = [
  {
    value: 'light',
    label: 'Light theme',
    icon: 'M12 3v2m0 14v2M5.6 5.6l1.4 1.4m10 10 1.4 1.4M3 12h2m14 0h2M5.6 18.4 7 17M17 7l1.4-1.4M16 12a4 4 0 1 1-8 0 4 4 0 0 1 8 0Z',
  },
  { value: 'dark', label: 'Dark theme', icon: 'M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5Z' },
  { value: 'system', label: 'Use system theme', icon: 'M4 5h16v11H4zM9 20h6M12 16v4' },
];

export const THEME_ACTION = '/resources/theme';

export function ThemeToggle({ theme }: { theme: Theme }) {
  const fetcher = useFetcher({ key: 'theme' });
  const location = useLocation();
  return (
    <form method="post" action={THEME_ACTION}>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <fieldset className="flex items-center rounded-lg border border-border bg-surface-muted p-0.5">
        <legend className="sr-only">Colour theme</legend>
        {OPTIONS.map((option) => (
          <button
            key={option.value}
            type="submit"
            name="theme"
            value={option.value}
            aria-pressed={theme === option.value}
            title={option.label}
            onClick={(event) => {
              // With JavaScript: no redirect, no page load — the fetcher updates the cookie in the background.
              event.preventDefault();
              fetcher.submit({ theme: option.value }, { method: 'post', action: THEME_ACTION });
            }}
            className={cn(
              'inline-flex size-8 items-center justify-center rounded-md text-fg-muted transition-colors',
              'hover:text-fg focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring',
              'aria-pressed:bg-surface aria-pressed:text-fg aria-pressed:shadow-sm',
            )}
          >
            <svg
              viewBox="0 0 24 24"
              className="size-4"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
              aria-hidden="true"
            >
              <path d={option.icon} />
            </svg>
            <span className="sr-only">{option.label}</span>
          </button>
        ))}
      </fieldset>
    </form>
  );
}
