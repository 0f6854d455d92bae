/**
 * The header's account area: "Sign in" for visitors, otherwise a menu with the person's name, their
 * profile and sign-out (a POST — signing out must not be a link another site could trigger; without
 * JavaScript, /auth/signout shows its own button).
 */
import { Link, useLocation, useSubmit } from '@remix-run/react';
import type { Account } from '../../lib/root-data';
import {
  Button,
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '../ui';

function initials(label: string): string {
  const words = label
    .replace(/@.*/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  return ((words[0]?.[0] ?? '') + (words[1]?.[0] ?? '')).toUpperCase() || '?';
}

export function AccountMenu({ account }: { account: Account | null }) {
  const { pathname } = useLocation();
  const submit = useSubmit();
  if (!account) {
    if (pathname.startsWith('/auth/')) return null;
    return (
      <Button asChild variant="secondary" size="sm">
        <Link to="/auth/signin">Sign in</Link>
      </Button>
    );
  }
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" className="h-10 gap-2 px-2">
          <span
            aria-hidden="true"
            className="inline-flex size-7 items-center justify-center rounded-full bg-primary-soft text-xs font-semibold text-primary-soft-fg"
          >
            {initials(account.label)}
          </span>
          <span className="hidden max-w-40 truncate lg:inline">{account.label}</span>
          <span className="sr-only lg:hidden">Account: {account.label}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent>
        <DropdownMenuLabel>
          <span className="block truncate text-sm font-medium text-fg">{account.label}</span>
          {account.roles.length ? <span className="block capitalize">{account.roles.join(', ')}</span> : null}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link to="/profile">Your profile</Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => submit(null, { method: 'post', action: '/auth/signout' })}>
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
