import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useFetcher,
  useMatches,
  useRouteError,
} from '@remix-run/react';
import { effectiveCapabilities } from '../api/lib/authz';
import { AppShell } from './components/layout/app-shell';
import { ErrorPage } from './components/layout/error-page';
import { Toaster } from './components/ui';
import { guardPage } from './lib/auth.server';
import { favicon } from './lib/favicon';
import { preferredLocale } from './lib/format';
import { visibleNav } from './lib/nav';
import { useNonce } from './lib/nonce';
import { DEFAULT_APP_NAME, type RootData, useRootData } from './lib/root-data';
import { isTheme, readTheme } from './lib/theme';
import { useHydrated } from './lib/use-hydrated';
import stylesheet from './tailwind.css?url';

// The icon is not here: `links` cannot see loader data, and it follows the uploaded logo (Layout).
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesheet }];

export async function loader({ request, context }: LoaderFunctionArgs): Promise<RootData> {
  // App pages need a signed-in user (redirect to /auth/signin?next=…); public pages pass.
  guardPage(context, request);
  const [name, brand] = await Promise.all([
    context.services.settings.get(context.ctx, 'app.name'),
    context.services.branding.view(context.ctx),
  ]);
  const { actor } = context.ctx;
  const capabilities = effectiveCapabilities(actor);
  return {
    appName: name?.trim() || DEFAULT_APP_NAME,
    brand: {
      logo: brand.logo ? { url: brand.logo.url, mediaType: brand.logo.mediaType } : null,
      themeCssUrl: brand.themeCssUrl,
    },
    account: actor.type === 'user' ? { label: actor.label, roles: actor.roles } : null,
    theme: readTheme(request.headers.get('cookie')),
    capabilities,
    nav: visibleNav(capabilities),
    locale: preferredLocale(request.headers.get('accept-language')),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  const appName = data?.appName ?? DEFAULT_APP_NAME;
  if (error) return [{ title: `${errorCopy(error).title} · ${appName}` }];
  return [
    { title: appName },
    { name: 'description', content: `${appName}: your organisation's self-hosted AI portal.` },
  ];
};

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  const data = useRootData();
  // While a theme change is being saved, show it already (the cookie answer follows).
  const pending = useFetcher({ key: 'theme' }).formData?.get('theme');
  const theme = isTheme(pending) ? pending : (data?.theme ?? 'system');
  // Marks the document once React runs in the browser (browser tests wait for it).
  const hydrated = useHydrated();
  // Routes that are one screen (chat, compare) say so with `handle = { fullHeight: true }`.
  const fullHeight = useMatches().some((m) => (m.handle as { fullHeight?: boolean } | undefined)?.fullHeight);
  return (
    <html lang="en" data-theme={theme} data-hydrated={hydrated ? 'true' : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/* The uploaded logo (versioned URL) or the default mark; an upload or removal swaps it in place. */}
        <link rel="icon" {...favicon(data?.brand.logo)} />
        {/* The accent colour as a stylesheet of our origin, after the base one: no inline style needed. */}
        {data?.brand.themeCssUrl ? <link rel="stylesheet" href={data.brand.themeCssUrl} /> : null}
      </head>
      <body className="bg-canvas text-fg antialiased">
        <Toaster>
          <AppShell
            appName={data?.appName ?? DEFAULT_APP_NAME}
            logoUrl={data?.brand.logo?.url ?? null}
            account={data?.account ?? null}
            nav={data?.nav ?? visibleNav([])}
            theme={theme}
            fullHeight={fullHeight}
          >
            {children}
          </AppShell>
        </Toaster>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

function errorCopy(error: unknown): { status: number; title: string; message: string } {
  if (isRouteErrorResponse(error)) {
    if (error.status === 404)
      return {
        status: 404,
        title: 'Page not found',
        message: 'There is no page at this address. It may have moved, or the link may be mistyped.',
      };
    if (error.status === 403)
      return {
        status: 403,
        title: 'You do not have access to this page',
        message: 'Your account does not include this feature. If you need it, ask your administrator.',
      };
    if (error.status < 500)
      return {
        status: error.status,
        title: error.statusText || 'This request could not be completed',
        message: 'Go back and try again.',
      };
  }
  return {
    status: isRouteErrorResponse(error) ? error.status : 500,
    title: 'Something went wrong',
    message:
      'An unexpected error stopped this page from loading. Try again in a moment; if it keeps happening, tell your administrator.',
  };
}

/** 404, 403 and 500 pages inside the normal layout (Layout wraps this too). */
export function ErrorBoundary() {
  const copy = errorCopy(useRouteError());
  return <ErrorPage status={copy.status} title={copy.title} message={copy.message} />;
}
