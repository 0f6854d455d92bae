/**
 * /admin/users/:id — one person: roles, account status, sessions and an administrator's password reset.
 * Each form posts an `intent`; the users and auth services check admin:users and write the audit events.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useFetcher, useLoaderData } from '@remix-run/react';
import { ConfirmAction } from '~/components/admin/confirm-action';
import { FormError } from '~/components/admin/form-error';
import { PageHeader, Section } from '~/components/admin/page-header';
import { useFormResult } from '~/components/admin/use-form-result';
import {
  Badge,
  Button,
  Card,
  CardContent,
  FormField,
  Input,
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui';
import { formString, formStrings, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { requireCapability } from '~/lib/auth.server';
import { describeUserAgent, formatDateTime } from '~/lib/format';
import { pageTitle } from '~/lib/root-data';

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data ? `${data.user.name || data.user.email} · Users` : 'User');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireCapability(context, request, 'admin:users');
  const { services, ctx } = context;
  const id = params.id ?? '';
  const user = await services.users.get(ctx, id).catch((err: unknown) => {
    if ((err as { status?: number }).status === 404) throw new Response('No such user', { status: 404 });
    throw err;
  });
  const [roles, sessions, accounts] = await Promise.all([
    services.roles.list(ctx),
    services.auth.listUserSessions(ctx, id),
    services.users.linkedAccounts(ctx, id),
  ]);
  return {
    user,
    isSelf: actor.id === user.id,
    roles: roles.map((r) => ({ name: r.name, description: r.description })),
    sessions,
    accounts,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  requireCapability(context, request, 'admin:users');
  const { services, ctx } = context;
  const id = params.id ?? '';
  const form = await request.formData();
  switch (intentOf(form)) {
    case 'roles':
      return perform(() => services.users.setRoles(ctx, id, formStrings(form, 'roles')));
    case 'status': {
      const status = formString(form, 'status') === 'disabled' ? 'disabled' : 'active';
      return perform(() => services.users.setStatus(ctx, id, status));
    }
    case 'revoke-sessions':
      return perform(() => services.auth.revokeUserSessions(ctx, id));
    case 'set-password':
      return perform(() => services.auth.setPassword(ctx, id, formString(form, 'password')));
    default:
      return unknownIntent();
  }
}

export default function AdminUser() {
  const { user, isSelf, roles, sessions, accounts } = useLoaderData<typeof loader>();
  return (
    <>
      <div>
        <Link to="/admin/users" className="text-sm font-medium text-link underline-offset-4 hover:underline">
          ← All users
        </Link>
      </div>
      <PageHeader
        title={user.name || user.email}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>{user.email}</span>
            <Badge variant={user.status === 'active' ? 'success' : 'danger'}>
              {user.status === 'active' ? 'Active' : 'Disabled'}
            </Badge>
            {isSelf ? <Badge variant="primary">You</Badge> : null}
          </span>
        }
      />
      <dl className="grid gap-4 text-sm sm:grid-cols-3">
        <Fact term="Created" value={formatDateTime(user.createdAt)} />
        <Fact term="Last sign-in" value={formatDateTime(user.lastLoginAt)} />
        <Fact
          term="Sign-in methods"
          value={
            [user.hasPassword ? 'Password' : null, ...accounts.map((a) => `SSO (${a.provider})`)]
              .filter(Boolean)
              .join(', ') || 'None yet'
          }
        />
      </dl>
      <RolesForm current={user.roles.map((r) => r.name)} roles={roles} />
      <StatusSection status={user.status} isSelf={isSelf} />
      <SessionsSection sessions={sessions} />
      <PasswordSection hasPassword={user.hasPassword} />
    </>
  );
}

function Fact({ term, value }: { term: string; value: string }) {
  return (
    <div className="rounded-lg border border-border bg-surface px-4 py-3">
      <dt className="text-xs font-semibold uppercase tracking-wide text-fg-muted">{term}</dt>
      <dd className="mt-1 text-fg">{value}</dd>
    </div>
  );
}

function RolesForm({
  current,
  roles,
}: {
  current: string[];
  roles: { name: string; description: string }[];
}) {
  const fetcher = useFetcher<typeof action>();
  const { ref, busy, error, fieldErrors } = useFormResult(fetcher, { success: 'Roles saved' });
  return (
    <Section
      id="roles"
      title="Roles"
      description="What this person may do is the sum of their roles' capabilities."
    >
      <Card>
        <CardContent className="pt-6">
          <fetcher.Form method="post" ref={ref} className="flex flex-col gap-4">
            <input type="hidden" name="intent" value="roles" />
            <FormError error={error} />
            <fieldset aria-describedby={fieldErrors.roles ? 'roles-error' : undefined}>
              <legend className="sr-only">Roles</legend>
              <div className="grid gap-3 sm:grid-cols-2">
                {roles.map((r) => (
                  <label
                    key={r.name}
                    className="flex cursor-pointer items-start gap-3 rounded-md border border-border p-3 hover:bg-surface-muted has-[:checked]:border-primary has-[:checked]:bg-primary-soft"
                  >
                    <input
                      type="checkbox"
                      name="roles"
                      value={r.name}
                      defaultChecked={current.includes(r.name)}
                      className="mt-0.5 size-4 accent-primary"
                    />
                    <span>
                      <span className="block text-sm font-medium text-fg">{r.name}</span>
                      {r.description ? (
                        <span className="block text-xs text-fg-muted">{r.description}</span>
                      ) : null}
                    </span>
                  </label>
                ))}
              </div>
              {fieldErrors.roles ? (
                <p id="roles-error" className="mt-2 text-sm font-medium text-danger-soft-fg">
                  {fieldErrors.roles}
                </p>
              ) : null}
            </fieldset>
            <div>
              <Button type="submit" loading={busy}>
                Save roles
              </Button>
            </div>
          </fetcher.Form>
        </CardContent>
      </Card>
    </Section>
  );
}

function StatusSection({ status, isSelf }: { status: 'active' | 'disabled'; isSelf: boolean }) {
  const fetcher = useFetcher<typeof action>();
  const { error } = useFormResult(fetcher, {
    success: status === 'active' ? 'Account enabled' : 'Account disabled',
  });
  return (
    <Section
      id="status"
      title="Account"
      description={
        status === 'active'
          ? 'Disabling the account signs this person out everywhere and stops them signing in.'
          : 'This account is disabled: the person cannot sign in.'
      }
    >
      <FormError error={error} />
      <div>
        {status === 'active' ? (
          isSelf ? (
            <p className="text-sm text-fg-muted">You cannot disable your own account.</p>
          ) : (
            <ConfirmAction
              fetcher={fetcher}
              fields={{ intent: 'status', status: 'disabled' }}
              trigger="Disable account"
              title="Disable this account?"
              description="They are signed out on every device at once and cannot sign in until the account is enabled again."
              confirmLabel="Disable account"
            />
          )
        ) : (
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="status" />
            <input type="hidden" name="status" value="active" />
            <Button type="submit" variant="secondary" loading={fetcher.state !== 'idle'}>
              Enable account
            </Button>
          </fetcher.Form>
        )}
      </div>
    </Section>
  );
}

function SessionsSection({
  sessions,
}: {
  sessions: {
    id: string;
    ip: string | null;
    userAgent: string | null;
    createdAt: string;
    lastSeenAt: string;
  }[];
}) {
  const fetcher = useFetcher<typeof action>();
  const { error } = useFormResult(fetcher, {
    success: (d) => {
      const n = (d as { revoked?: number } | null)?.revoked ?? 0;
      return `${n} session${n === 1 ? '' : 's'} ended`;
    },
  });
  return (
    <Section
      id="sessions"
      title="Sessions"
      description="Browsers where this person is signed in."
      actions={
        sessions.length > 0 ? (
          <ConfirmAction
            fetcher={fetcher}
            fields={{ intent: 'revoke-sessions' }}
            trigger="Sign out everywhere"
            title="End every session?"
            description="This person is signed out on every device. Their account stays active."
            confirmLabel="Sign out everywhere"
          />
        ) : null
      }
    >
      <FormError error={error} />
      <Table>
        <TableCaption className="sr-only">Active sessions</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>Device</TableHead>
            <TableHead>IP address</TableHead>
            <TableHead>Signed in</TableHead>
            <TableHead>Last active</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {sessions.length === 0 ? (
            <TableEmpty colSpan={4} title="No active sessions" />
          ) : (
            sessions.map((s) => (
              <TableRow key={s.id}>
                <TableCell>{describeUserAgent(s.userAgent)}</TableCell>
                <TableCell className="font-mono text-xs">{s.ip ?? '—'}</TableCell>
                <TableCell className="whitespace-nowrap">{formatDateTime(s.createdAt)}</TableCell>
                <TableCell className="whitespace-nowrap">{formatDateTime(s.lastSeenAt)}</TableCell>
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
    </Section>
  );
}

function PasswordSection({ hasPassword }: { hasPassword: boolean }) {
  const fetcher = useFetcher<typeof action>();
  const { ref, busy, error, fieldErrors } = useFormResult(fetcher, {
    success: 'Password set; their sessions were ended',
    resetOnSuccess: true,
  });
  return (
    <Section
      id="password"
      title="Set a new password"
      description={
        hasPassword
          ? 'Replaces their password and signs them out everywhere. Tell them the new password in a safe way.'
          : 'This person signs in with SSO only. Setting a password also lets them sign in with e-mail and password.'
      }
    >
      <Card>
        <CardContent className="pt-6">
          <fetcher.Form method="post" ref={ref} className="flex max-w-md flex-col gap-4">
            <input type="hidden" name="intent" value="set-password" />
            <FormError error={error && !fieldErrors.password ? error : null} />
            <FormField
              label="New password"
              error={fieldErrors.password}
              hint="At least 10 characters."
              required
            >
              <Input name="password" type="password" autoComplete="new-password" />
            </FormField>
            <div>
              <Button type="submit" variant="secondary" loading={busy}>
                Set password
              </Button>
            </div>
          </fetcher.Form>
        </CardContent>
      </Card>
    </Section>
  );
}
