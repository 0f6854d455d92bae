import { NavLink } from '@remix-run/react';
import { cn } from '../../lib/cn';
import type { NavItem } from '../../lib/nav';

const linkClasses =
  'block rounded-md px-3 py-2 text-sm font-medium text-fg-muted transition-colors hover:bg-surface-muted hover:text-fg';
const activeClasses = 'bg-primary-soft text-primary-soft-fg hover:bg-primary-soft hover:text-primary-soft-fg';

/** The nav list. On small screens it is a collapsible panel under the header bar (see AppHeader). */
export function PrimaryNav({
  items,
  id,
  open,
  onNavigate,
}: {
  items: NavItem[];
  id: string;
  open: boolean;
  onNavigate: () => void;
}) {
  return (
    <nav
      id={id}
      aria-label="Primary"
      className={cn(open ? 'block basis-full pb-3' : 'hidden', 'md:block md:basis-auto md:pb-0')}
    >
      <ul className="flex flex-col gap-1 md:flex-row md:items-center">
        {items.map((item) => (
          <li key={item.to}>
            {item.document ? (
              <a href={item.to} className={linkClasses}>
                {item.label}
              </a>
            ) : (
              <NavLink
                to={item.to}
                end={item.to === '/'}
                prefetch="intent"
                onClick={onNavigate}
                className={({ isActive }) => cn(linkClasses, isActive && activeClasses)}
              >
                {item.label}
              </NavLink>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
