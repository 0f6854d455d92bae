/**
 * The browser tab's icon: the uploaded logo when there is one (Admin → Settings → Branding), else the default
 * mark. The logo's URL carries its content hash (`?v=`), so a new logo is a new URL the browser fetches
 * (no stale icon) and removing it goes back to the mark. Both sources are allowed by the page CSP as it is
 * (`img-src 'self' data:`). Documents that are not pages (JSON, images) get the same from /favicon.ico.
 */
import { DEFAULT_MARK_SVG } from '../../api/features/branding/default-mark';

/** The default mark inline, so the icon needs no file and no extra request. */
export const DEFAULT_FAVICON = {
  href: `data:image/svg+xml,${encodeURIComponent(DEFAULT_MARK_SVG)}`,
  type: 'image/svg+xml',
} as const;

export interface Favicon {
  href: string;
  type: string;
}

export function favicon(logo: { url: string; mediaType: string } | null | undefined): Favicon {
  return logo ? { href: logo.url, type: logo.mediaType } : DEFAULT_FAVICON;
}
