/** Any path no other route matches: our 404 page (root ErrorBoundary) with a real 404 status. */
import { data } from '@remix-run/node';

export function loader() {
  throw data(null, { status: 404, statusText: 'Not Found' });
}

// A default export keeps this a UI route (a resource route would answer the bare 404 response).
export default function NotFound() {
  return null;
}
