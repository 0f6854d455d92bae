/** /admin: the console's first section this person may open. */
import { type LoaderFunctionArgs, redirect } from '@remix-run/node';
import { requireAnyAdmin } from '~/lib/admin.server';
import { visibleAdminSections } from '~/lib/admin-sections';
import { effectiveCapabilities } from '../../api/lib/authz';

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireAnyAdmin(context, request);
  const [first] = visibleAdminSections(effectiveCapabilities(actor));
  throw redirect(first?.to ?? '/');
}

/** Never rendered (the loader always redirects or throws); it makes this a page route, so a 403 gets the
 * error page rather than a bare text response. */
export default function AdminIndex() {
  return null;
}
