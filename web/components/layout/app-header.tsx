import { Link, useLocation } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { cn } from '../../lib/cn';
import type { NavItem } from '../../lib/nav';
import type { Account } from '../../lib/root-data';
import type { Theme } from '../../lib/theme';
import { AccountMenu } from './account-menu';
import { PrimaryNav } from './primary-nav';
import { ThemeToggle } from './theme-toggle';

const NAV_ID = 'primary-nav';

export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true">
      <rect width="32" height="32" rx="8" className="fill-primary" />
      <path
        d="M9 22 15 9h2l6 13M11.5 17h9"
        fill="none"
        stroke="white"
        strokeWidth="2.5"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function AppHeader({
  appName,
  logoUrl,
  account,
  nav,
  theme,
}: {
  appName: string;
  logoUrl: string | null;
  account: Account | null;
  nav: NavItem[];
  theme: Theme;
}) {
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  // A navigation closes the mobile menu (also for back/forward, which do not click a link).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on purpose when the path changes
  useEffect(() => setMenuOpen(false), [location.pathname]);

  return (
    <header className="border-b border-border bg-surface">
      <div className="mx-auto flex min-h-16 max-w-7xl flex-wrap items-center gap-x-3 px-4 md:gap-x-6 sm:px-6 lg:px-8">
        <Link
          to="/"
          className="flex min-w-0 grow basis-0 items-center gap-2.5 rounded-md py-3 text-base font-semibold text-fg md:grow-0 md:basis-auto"
        >
          {logoUrl ? (
            // The name beside it says what it is; the image is decoration (alt="").
            <img src={logoUrl} alt="" className="h-8 w-auto max-w-40 shrink-0 object-contain" />
          ) : (
            <LogoMark className="size-8 shrink-0" />
          )}
          <span className="truncate">{appName}</span>
        </Link>
        <div className="ml-auto flex items-center gap-1.5 sm:gap-2 md:order-last">
          <div className="hidden sm:block">
            <ThemeToggle theme={theme} />
          </div>
          <AccountMenu account={account} />
          <button
            type="button"
            className="inline-flex size-10 items-center justify-center rounded-md text-fg hover:bg-surface-muted md:hidden"
            aria-expanded={menuOpen}
            aria-controls={NAV_ID}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <svg
              viewBox="0 0 24 24"
              className="size-6"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              aria-hidden="true"
            >
              <path d={menuOpen ? 'M18 6 6 18M6 6l12 12' : 'M4 6h16M4 12h16M4 18h16'} strokeLinecap="round" />
            </svg>
            <span className="sr-only">Menu</span>
          </button>
        </div>
        <PrimaryNav items={nav} id={NAV_ID} open={menuOpen} onNavigate={() => setMenuOpen(false)} />
        {/* On phones the theme switch lives in the menu panel, leaving the bar to the product name. */}
        <div
          className={cn(
            menuOpen ? 'flex' : 'hidden',
            'basis-full items-center justify-between pb-3 sm:hidden',
          )}
        >
          <span className="text-sm text-fg-muted" aria-hidden="true">
            Theme
          </span>
          <ThemeToggle theme={theme} />
        </div>
      </div>
    </header>
  );
}
