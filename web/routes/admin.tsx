/**
 * The admin console's frame: a side navigation listing the sections this person may open, and the page.
 * Entering needs at least one admin capability (403 page otherwise); each page checks its own as well.
 */
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { requireAnyAdmin } from '~/lib/admin.server';
import { visibleAdminSections } from '~/lib/admin-sections';
import { cn } from '~/lib/cn';
import { pageTitle } from '~/lib/root-data';
import { effectiveCapabilities } from '../../api/lib/authz';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Admin');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireAnyAdmin(context, request);
  return { sections: visibleAdminSections(effectiveCapabilities(actor)) };
}

export default function AdminLayout() {
  const { sections } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 sm:px-6 lg:flex-row lg:gap-10 lg:px-8 lg:py-10">
      <nav aria-label="Admin" className="lg:w-52 lg:shrink-0">
        <p className="mb-2 hidden px-3 text-xs font-semibold uppercase tracking-wide text-fg-muted lg:block">
          Administration
        </p>
        <ul className="-mx-1 flex gap-1 overflow-x-auto pb-1 lg:mx-0 lg:flex-col lg:overflow-visible lg:pb-0">
          {sections.map((s) => (
            <li key={s.to} className="shrink-0">
              <NavLink
                to={s.to}
                prefetch="intent"
                className={({ isActive }) =>
                  cn(
                    'block whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-fg-muted transition-colors hover:bg-surface-muted hover:text-fg',
                    isActive &&
                      'bg-primary-soft text-primary-soft-fg hover:bg-primary-soft hover:text-primary-soft-fg',
                  )
                }
              >
                {s.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="flex min-w-0 flex-1 flex-col gap-8">
        <Outlet />
      </div>
    </div>
  );
}
