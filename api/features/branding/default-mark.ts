/**
 * The default mark (the header's logo when none is uploaded) as a standalone SVG: the tab icon pages link
 * inline, and what /favicon.ico answers without a logo. Our own static markup, no script. Pure: the web
 * bundle imports it.
 */
export const DEFAULT_MARK_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#1d4ed8"/><path d="M9 22 15 9h2l6 13M11.5 17h9" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg>';
