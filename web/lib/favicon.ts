/**
 * The browser tab's icon: the uploaded logo when there is one (Admin → Settings → Branding), else the default
 * mark. The logo's URL carries its content hash (`?v=`), so a new logo is a new URL the browser fetches
 * (no stale icon) and removing it goes back to the mark. Both sources are allowed by the page CSP as it is
 * (`img-src 'self' data:`).
 */

/** The default mark inline, so the icon needs no file and no extra request. */
export const DEFAULT_FAVICON = {
  href: `data:image/svg+xml,${encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#1d4ed8"/><path d="M9 22 15 9h2l6 13M11.5 17h9" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  )}`,
  type: 'image/svg+xml',
} as const;

export interface Favicon {
  href: string;
  type: string;
}

export function favicon(logo: { url: string; mediaType: string } | null | undefined): Favicon {
  return logo ? { href: logo.url, type: logo.mediaType } : DEFAULT_FAVICON;
}
