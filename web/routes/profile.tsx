/**
 * /profile: the signed-in person's own name, password and sessions (the current one marked; ending
 * another signs that browser out). Changing the password ends every other session (auth service).
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
  buttonClasses,
  Card,
  CardContent,
  FormField,
  Input,
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui';
import { failure, formString, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { requireUser } from '~/lib/auth.server';
import { describeUserAgent, formatDateTime } from '~/lib/format';
import { pageTitle, useCan } from '~/lib/root-data';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Your profile');

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const { services, ctx } = context;
  const [{ user }, sessions] = await Promise.all([
    services.auth.current(ctx),
    services.auth.listMySessions(ctx),
  ]);
  return {
    user: {
      email: user.email,
      name: user.name,
      hasPassword: user.hasPassword,
      roles: user.roles.map((r) => r.name),
    },
    sessions,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const { services, ctx } = context;
  const form = await request.formData();
  switch (intentOf(form)) {
    case 'name':
      return perform(() => services.users.updateProfile(ctx, { name: formString(form, 'name') }));
    case 'password': {
      const next = formString(form, 'newPassword');
      if (next !== formString(form, 'confirmPassword')) {
        return failure('The two new passwords are not the same', {
          confirmPassword: 'does not match the new password',
        });
      }
      return perform(() =>
        services.auth.changePassword(ctx, {
          currentPassword: formString(form, 'currentPassword'),
          newPassword: next,
        }),
      );
    }
    case 'revoke':
      return perform(() => services.auth.revokeMySession(ctx, formString(form, 'id')));
    default:
      return unknownIntent();
  }
}

export default function Profile() {
  const { user, sessions } = useLoaderData<typeof loader>();
  const canUseKeys = useCan('api:keys');
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-8 px-4 py-6 sm:px-6 lg:px-8 lg:py-10">
      <PageHeader
        title="Your profile"
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>{user.email}</span>
            {user.roles.map((r) => (
              <Badge key={r} variant={r === 'administrator' ? 'primary' : 'neutral'}>
                {r}
              </Badge>
            ))}
          </span>
        }
      />
      <NameForm name={user.name} />
      <PasswordForm hasPassword={user.hasPassword} />
      <Sessions sessions={sessions} />
      {canUseKeys ? (
        <Section
          id="api-keys"
          title="API keys"
          description="Let scripts and other systems use AI Studio as you."
        >
          <p>
            <Link to="/profile/api-keys" className="font-medium text-link underline underline-offset-4">
              Manage your API keys
            </Link>
          </p>
        </Section>
      ) : null}
    </div>
  );
}

function NameForm({ name }: { name: string }) {
  const fetcher = useFetcher<typeof action>();
  const { ref, busy, error, fieldErrors } = useFormResult(fetcher, { success: 'Name saved' });
  return (
    <Section id="name" title="Name" description="Shown to administrators and in the audit log.">
      <Card>
        <CardContent className="pt-6">
          <fetcher.Form method="post" ref={ref} className="flex max-w-md flex-col gap-4">
            <input type="hidden" name="intent" value="name" />
            <FormError error={error && !fieldErrors.name ? error : null} />
            <FormField label="Name" error={fieldErrors.name}>
              <Input name="name" defaultValue={name} autoComplete="name" maxLength={120} />
            </FormField>
            <div>
              <Button type="submit" loading={busy}>
                Save name
              </Button>
            </div>
          </fetcher.Form>
        </CardContent>
      </Card>
    </Section>
  );
}

function PasswordForm({ hasPassword }: { hasPassword: boolean }) {
  const fetcher = useFetcher<typeof action>();
  const { ref, busy, error, fieldErrors } = useFormResult(fetcher, {
    success: (d) => {
      const r = d as { sessionsEnded?: number; apiKeysRevoked?: number } | null;
      const [n, k] = [r?.sessionsEnded ?? 0, r?.apiKeysRevoked ?? 0];
      const parts = [
        n ? `${n} other session${n === 1 ? '' : 's'} signed out` : '',
        k ? `${k} API key${k === 1 ? '' : 's'} revoked (create new ones on the API keys page)` : '',
      ].filter(Boolean);
      return parts.length ? `Password changed; ${parts.join('; ')}` : 'Password changed';
    },
    resetOnSuccess: true,
  });
  const fieldProblem = Object.keys(fieldErrors).length > 0;
  return (
    <Section
      id="password"
      title={hasPassword ? 'Change password' : 'Set a password'}
      description={
        hasPassword
          ? 'Changing it signs you out on every other device.'
          : 'You sign in with single sign-on. A password also lets you sign in with your e-mail address.'
      }
    >
      <Card>
        <CardContent className="pt-6">
          <fetcher.Form method="post" ref={ref} className="flex max-w-md flex-col gap-4">
            <input type="hidden" name="intent" value="password" />
            {/* Lets password managers tie the new password to this account. */}
            <input type="hidden" name="username" autoComplete="username" />
            <FormError error={error && !fieldProblem ? error : null} />
            {hasPassword ? (
              <FormField label="Current password" error={fieldErrors.currentPassword} required>
                <Input name="currentPassword" type="password" autoComplete="current-password" />
              </FormField>
            ) : null}
            <FormField
              label="New password"
              error={fieldErrors.newPassword}
              hint="At least 10 characters."
              required
            >
              <Input name="newPassword" type="password" autoComplete="new-password" />
            </FormField>
            <FormField label="Repeat the new password" error={fieldErrors.confirmPassword} required>
              <Input name="confirmPassword" type="password" autoComplete="new-password" />
            </FormField>
            <div>
              <Button type="submit" loading={busy}>
                {hasPassword ? 'Change password' : 'Set password'}
              </Button>
            </div>
          </fetcher.Form>
        </CardContent>
      </Card>
    </Section>
  );
}

interface SessionRow {
  id: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

function Sessions({ sessions }: { sessions: SessionRow[] }) {
  return (
    <Section id="sessions" title="Your sessions" description="Browsers and devices where you are signed in.">
      <Table>
        <TableCaption className="sr-only">Your sessions</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>Device</TableHead>
            <TableHead>IP address</TableHead>
            <TableHead>Last active</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {sessions.map((s) => (
            <SessionItem key={s.id} session={s} />
          ))}
        </TableBody>
      </Table>
    </Section>
  );
}

function SessionItem({ session }: { session: SessionRow }) {
  const fetcher = useFetcher<typeof action>();
  const { error } = useFormResult(fetcher, { success: 'Session ended' });
  const device = describeUserAgent(session.userAgent);
  return (
    <TableRow>
      <TableCell>
        <span className="font-medium">{device}</span>
        {session.current ? (
          <Badge variant="success" className="ml-2">
            This device
          </Badge>
        ) : null}
        <div className="text-xs text-fg-muted">Signed in {formatDateTime(session.createdAt)}</div>
        {error ? <p className="text-sm text-danger-soft-fg">{error}</p> : null}
      </TableCell>
      <TableCell className="font-mono text-xs">{session.ip ?? '—'}</TableCell>
      <TableCell className="whitespace-nowrap">{formatDateTime(session.lastSeenAt)}</TableCell>
      <TableCell className="text-right">
        {session.current ? (
          <a href="/auth/signout" className={buttonClasses('ghost', 'sm')}>
            Sign out
          </a>
        ) : (
          <ConfirmAction
            fetcher={fetcher}
            fields={{ intent: 'revoke', id: session.id }}
            trigger={
              <>
                Sign out<span className="sr-only"> {device}</span>
              </>
            }
            triggerVariant="secondary"
            title="Sign out this device?"
            description={`${device}, last active ${formatDateTime(session.lastSeenAt)}, will need to sign in again.`}
            confirmLabel="Sign out device"
          />
        )}
      </TableCell>
    </TableRow>
  );
}
