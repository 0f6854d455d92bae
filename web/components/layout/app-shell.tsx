/**
 * The frame of every page, error pages included: skip link, header with navigation, the main landmark
 * (target of the skip link) and a footer.
 */
import type { ReactNode } from 'react';
import type { NavItem } from '../../lib/nav';
import type { Account } from '../../lib/root-data';
import type { Theme } from '../../lib/theme';
import { SkipLink } from '../ui';
import { AppHeader } from './app-header';

export function AppShell({
  appName,
  logoUrl = null,
  account,
  nav,
  theme,
  fullHeight = false,
  children,
}: {
  appName: string;
  /** The uploaded logo (Admin → Settings → Branding), shown instead of the default mark. */
  logoUrl?: string | null;
  account: Account | null;
  nav: NavItem[];
  theme: Theme;
  /** Pages that are one screen (chat, compare): the page never scrolls, their own lists do; no footer. */
  fullHeight?: boolean;
  children: ReactNode;
}) {
  return (
    <div
      className={fullHeight ? 'relative flex h-dvh flex-col overflow-hidden' : 'flex min-h-screen flex-col'}
    >
      <SkipLink />
      <AppHeader appName={appName} logoUrl={logoUrl} account={account} nav={nav} theme={theme} />
      <main
        id="main"
        tabIndex={-1}
        className={fullHeight ? 'min-h-0 flex-1 focus:outline-none' : 'flex-1 focus:outline-none'}
      >
        {children}
      </main>
      <footer className={fullHeight ? 'hidden' : 'border-t border-border bg-surface'}>
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-2 px-4 py-6 text-sm text-fg-muted sm:px-6 lg:px-8">
          <p>{appName} · self-hosted AI portal</p>
          <a href="/api/docs" className="rounded-sm underline-offset-4 hover:text-fg hover:underline">
            API reference
          </a>
        </div>
      </footer>
    </div>
  );
}
