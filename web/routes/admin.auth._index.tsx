/**
 * /admin/auth: who may create an account (sign-up on/off, allowed e-mail domains, default role) and the
 * single sign-on providers, each with a "Test" that fetches its discovery document and keys now.
 * admin:settings, as the auth and SSO services decide.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react';
import { ConfirmAction } from '~/components/admin/confirm-action';
import { FormError } from '~/components/admin/form-error';
import { PageHeader, Section } from '~/components/admin/page-header';
import { type SsoTestReport, SsoTestResult } from '~/components/admin/sso-test-result';
import { useFormResult } from '~/components/admin/use-form-result';
import {
  Badge,
  Button,
  buttonClasses,
  Card,
  CardContent,
  FormField,
  Select,
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
  Textarea,
} from '~/components/ui';
import { formBoolean, formString, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { requireCapability } from '~/lib/auth.server';
import { pageTitle } from '~/lib/root-data';
import { parseDomainList } from '~/lib/sso-form.server';
import { SSO_TYPE_LABELS } from '~/lib/sso-types';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Sign-in');

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireCapability(context, request, 'admin:settings');
  const { services, ctx } = context;
  const [policy, providers, roles] = await Promise.all([
    services.auth.viewSignupPolicy(ctx),
    services.sso.list(ctx),
    services.roles.list(ctx).catch(() => []),
  ]);
  return {
    policy,
    providers: providers.map((p) => ({
      id: p.id,
      slug: p.slug,
      type: p.type,
      displayName: p.displayName,
      enabled: p.enabled,
      callbackUrl: p.callbackUrl,
    })),
    // Role names for the default-role picker (admin:users lists roles; fall back to the current value).
    roles: roles.length ? roles.map((r) => r.name) : [policy.defaultRole],
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireCapability(context, request, 'admin:settings');
  const { services, ctx } = context;
  const form = await request.formData();
  switch (intentOf(form)) {
    case 'policy':
      return perform(() =>
        services.auth.setSignupPolicy(ctx, {
          signupEnabled: formBoolean(form, 'signupEnabled'),
          signupDomains: parseDomainList(formString(form, 'signupDomains')),
          defaultRole: formString(form, 'defaultRole'),
        }),
      );
    case 'test':
      return perform(() => services.sso.test(ctx, formString(form, 'id')));
    case 'delete':
      return perform(() => services.sso.remove(ctx, formString(form, 'id')));
    default:
      return unknownIntent();
  }
}

export default function AdminAuth() {
  const { policy, providers, roles } = useLoaderData<typeof loader>();
  // Without JavaScript the forms post as documents: show a test's outcome here (rows use fetchers otherwise).
  const posted = useActionData<typeof action>();
  const report =
    posted?.ok && posted.data && typeof posted.data === 'object' && 'steps' in posted.data
      ? (posted.data as SsoTestReport & { slug: string })
      : null;
  return (
    <>
      <PageHeader
        title="Sign-in"
        description="Decide who may create an account, and connect your district's identity provider for single sign-on."
      />
      <PolicyForm policy={policy} roles={roles} />
      <Section
        id="sso"
        title="Single sign-on providers"
        description="Each enabled provider adds a “Continue with …” button to the sign-in page."
        actions={
          <Link to="sso/new" className={buttonClasses('primary', 'md')}>
            Add provider
          </Link>
        }
      >
        {report ? (
          <div>
            <p className="text-sm font-medium">Test of {report.slug}</p>
            <SsoTestResult report={report} />
          </div>
        ) : null}
        {posted && !posted.ok ? <FormError error={posted.error} /> : null}
        <Table>
          <TableCaption className="sr-only">Single sign-on providers</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>Provider</TableHead>
              <TableHead>Type</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {providers.length === 0 ? (
              <TableEmpty colSpan={4} title="No providers yet">
                People sign in with e-mail and password until you add one.
              </TableEmpty>
            ) : (
              providers.map((p) => <ProviderRow key={p.id} provider={p} />)
            )}
          </TableBody>
        </Table>
      </Section>
    </>
  );
}

function PolicyForm({
  policy,
  roles,
}: {
  policy: { signupEnabled: boolean; signupDomains: string[]; defaultRole: string };
  roles: string[];
}) {
  const fetcher = useFetcher<typeof action>();
  const { ref, busy, error, fieldErrors } = useFormResult(fetcher, { success: 'Sign-up policy saved' });
  return (
    <Section
      id="signup"
      title="Sign-up"
      description="The very first account always becomes administrator, whatever is set here."
    >
      <Card>
        <CardContent className="pt-6">
          <fetcher.Form method="post" ref={ref} className="flex max-w-xl flex-col gap-5">
            <input type="hidden" name="intent" value="policy" />
            <FormError error={error && !Object.keys(fieldErrors).length ? error : null} />
            <label className="flex items-start gap-3">
              <input
                type="checkbox"
                name="signupEnabled"
                defaultChecked={policy.signupEnabled}
                className="mt-0.5 size-4 accent-primary"
              />
              <span>
                <span className="block text-sm font-medium text-fg">People may create their own account</span>
                <span className="block text-sm text-fg-muted">
                  Off: only administrators (or single sign-on) create accounts.
                </span>
              </span>
            </label>
            <FormField
              label="Allowed e-mail domains"
              hint="One per line or comma-separated, e.g. lakeside.k12.us. Empty = any domain."
              error={fieldErrors.signupDomains}
            >
              <Textarea name="signupDomains" rows={3} defaultValue={policy.signupDomains.join('\n')} />
            </FormField>
            <FormField label="Role for new accounts" error={fieldErrors.defaultRole}>
              <Select name="defaultRole" defaultValue={policy.defaultRole}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </Select>
            </FormField>
            <div>
              <Button type="submit" loading={busy}>
                Save sign-up policy
              </Button>
            </div>
          </fetcher.Form>
        </CardContent>
      </Card>
    </Section>
  );
}

function ProviderRow({
  provider,
}: {
  provider: {
    id: string;
    slug: string;
    type: string;
    displayName: string;
    enabled: boolean;
    callbackUrl: string;
  };
}) {
  const tester = useFetcher<typeof action>();
  const remover = useFetcher<typeof action>();
  const test = useFormResult(tester);
  const removed = useFormResult(remover, { success: `${provider.displayName} removed` });
  const report = test.data as SsoTestReport | undefined;
  return (
    <TableRow>
      <TableCell className="align-top">
        <Link to={`sso/${provider.id}`} className="font-medium text-link underline-offset-4 hover:underline">
          {provider.displayName}
        </Link>
        <div className="font-mono text-xs text-fg-muted">{provider.callbackUrl}</div>
        <div aria-live="polite">
          {report ? <SsoTestResult report={report} /> : null}
          {test.error ? <p className="mt-2 text-sm text-danger-soft-fg">{test.error}</p> : null}
          {removed.error ? <p className="mt-2 text-sm text-danger-soft-fg">{removed.error}</p> : null}
        </div>
      </TableCell>
      <TableCell className="align-top">{SSO_TYPE_LABELS[provider.type] ?? provider.type}</TableCell>
      <TableCell className="align-top">
        <Badge variant={provider.enabled ? 'success' : 'neutral'}>
          {provider.enabled ? 'Enabled' : 'Off'}
        </Badge>
      </TableCell>
      <TableCell className="align-top">
        <div className="flex flex-wrap justify-end gap-2">
          <tester.Form method="post">
            <input type="hidden" name="intent" value="test" />
            <input type="hidden" name="id" value={provider.id} />
            <Button type="submit" variant="secondary" size="sm" loading={test.busy}>
              Test<span className="sr-only"> {provider.displayName}</span>
            </Button>
          </tester.Form>
          <Link to={`sso/${provider.id}`} className={buttonClasses('ghost', 'sm')}>
            Edit<span className="sr-only"> {provider.displayName}</span>
          </Link>
          <ConfirmAction
            fetcher={remover}
            fields={{ intent: 'delete', id: provider.id }}
            trigger={
              <>
                Delete<span className="sr-only"> {provider.displayName}</span>
              </>
            }
            title={`Delete ${provider.displayName}?`}
            description="Its button leaves the sign-in page. People who signed in through it keep their accounts but need another way to sign in."
            confirmLabel="Delete provider"
          />
        </div>
      </TableCell>
    </TableRow>
  );
}
