/**
 * What the root loader gives every page, and hooks to read it. The defaults matter when the root loader
 * itself failed (the error page still renders the layout with them).
 */
import type { MetaFunction } from '@remix-run/node';
import { useRouteLoaderData } from '@remix-run/react';
import type { Capability } from '../../api/lib/capabilities';
import { hasCapability, type NavItem } from './nav';
import type { Theme } from './theme';

/** The signed-in person as the header shows them; null for visitors. */
export interface Account {
  label: string;
  roles: string[];
}

export interface RootData {
  appName: string;
  /** Admin → Settings → Branding: the logo (header and tab icon) and the accent's stylesheet, when set. */
  brand: { logo: { url: string; mediaType: string } | null; themeCssUrl: string | null };
  account: Account | null;
  theme: Theme;
  /** The actor's effective capabilities (`can` applied, administrators expanded): what to show. */
  capabilities: Capability[];
  nav: NavItem[];
  /** The person's locale (Accept-Language), so dates read the same on the server and in the browser. */
  locale: string;
}

export const DEFAULT_APP_NAME = 'AI Studio';
export const DEFAULT_LOCALE = 'en-US';

export function useRootData(): RootData | undefined {
  return useRouteLoaderData<RootData>('root') ?? undefined;
}

export function useLocale(): string {
  return useRootData()?.locale ?? DEFAULT_LOCALE;
}

export function useAppName(): string {
  return useRootData()?.appName ?? DEFAULT_APP_NAME;
}

/** `const canChat = useCan('chat:use')` — the services' own `can`, applied by the root loader. */
export function useCan(capability: Capability): boolean {
  return hasCapability(useRootData()?.capabilities ?? [], capability);
}

/** "Page · Product" for a route's meta function: `meta = ({ matches }) => pageTitle(matches, 'Users')`. */
export function pageTitle(matches: Parameters<MetaFunction>[0]['matches'], page?: string) {
  const root = matches.find((m) => m.id === 'root')?.data as RootData | undefined;
  const appName = root?.appName ?? DEFAULT_APP_NAME;
  return [{ title: page ? `${page} · ${appName}` : appName }];
}
