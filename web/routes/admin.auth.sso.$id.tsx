/**
 * /admin/auth/sso/new and /admin/auth/sso/:id — add or edit a single sign-on provider. Slug and type are
 * fixed once created (linked accounts refer to them). The client secret is write-only.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { FormError } from '~/components/admin/form-error';
import { PageHeader } from '~/components/admin/page-header';
import { RedirectUri } from '~/components/admin/redirect-uri';
import { SecretInput } from '~/components/admin/secret-input';
import { type SsoTestReport, SsoTestResult } from '~/components/admin/sso-test-result';
import { Button, Card, CardContent, FormField, Input, Select, Textarea, useToast } from '~/components/ui';
import { failed, failure, formString, intentOf, perform } from '~/lib/admin.server';
import { requireCapability } from '~/lib/auth.server';
import { pageTitle } from '~/lib/root-data';
import { ssoFields } from '~/lib/sso-form.server';
import { formatGroupRoles, SSO_TYPE_FIELDS, SSO_TYPE_LABELS, SSO_TYPES } from '~/lib/sso-types';
import type { CreateSsoProviderInput } from '../../api/features/sso/sso.schemas';

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data?.provider ? `${data.provider.displayName} · Sign-in` : 'New SSO provider');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireCapability(context, request, 'admin:settings');
  const { services, ctx } = context;
  const url = new URL(request.url);
  // The redirect URI comes from APP_URL (what the callback checks), not from the address this page was opened at.
  const callbackBase = services.sso.callbackUrl('');
  if (params.id === 'new') return { provider: null, callbackBase, created: false };
  const provider = await services.sso.get(ctx, params.id ?? '').catch((err: unknown) => {
    if ((err as { status?: number }).status === 404) throw new Response('No such provider', { status: 404 });
    throw err;
  });
  return { provider, callbackBase, created: url.searchParams.has('created') };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  requireCapability(context, request, 'admin:settings');
  const { services, ctx } = context;
  const form = await request.formData();
  const isCreate = params.id === 'new';
  if (intentOf(form) === 'test' && !isCreate) return perform(() => services.sso.test(ctx, params.id ?? ''));
  const { input, groupError } = ssoFields(form, isCreate);
  if (groupError) return failure(`Group mapping: ${groupError}`, { groupRoles: groupError });
  if (isCreate) {
    let id: string;
    try {
      const type = formString(form, 'type') as CreateSsoProviderInput['type'];
      id = (await services.sso.create(ctx, { ...input, slug: formString(form, 'slug'), type })).id;
    } catch (err) {
      return failed(err);
    }
    throw redirect(`/admin/auth/sso/${id}?created=1`);
  }
  return perform(() => services.sso.update(ctx, params.id ?? '', input));
}

export default function SsoProviderPage() {
  const { provider, created, callbackBase } = useLoaderData<typeof loader>();
  const [slug, setSlug] = useState(provider?.slug ?? '');
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { toast } = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const [type, setType] = useState<(typeof SSO_TYPES)[number]>(provider?.type ?? 'google');
  const fields = SSO_TYPE_FIELDS[type];
  const failed = result && !result.ok ? result : null;
  const fe: Record<string, string> = failed?.fieldErrors ?? {};
  const testReport =
    result?.ok && result.data && 'steps' in (result.data as object) ? (result.data as SsoTestReport) : null;
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') !== 'test';
  const testing = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'test';

  useEffect(() => {
    if (created) toast({ title: 'Provider added', variant: 'success' });
  }, [created, toast]);
  useEffect(() => {
    if (!result) return;
    if (result.ok && !testReport) toast({ title: 'Provider saved', variant: 'success' });
    if (!result.ok) {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-form-error]')?.focus();
    }
  }, [result, testReport, toast]);

  return (
    <>
      <div>
        <Link to="/admin/auth" className="text-sm font-medium text-link underline-offset-4 hover:underline">
          ← Sign-in settings
        </Link>
      </div>
      <PageHeader
        title={provider ? provider.displayName : 'Add a single sign-on provider'}
        description={
          provider
            ? `${SSO_TYPE_LABELS[provider.type]} · ${provider.slug}`
            : 'Register this application at your identity provider first, with the redirect URI shown below.'
        }
        actions={
          provider ? (
            <Form method="post">
              <input type="hidden" name="intent" value="test" />
              <Button type="submit" variant="secondary" loading={testing}>
                Test connection
              </Button>
            </Form>
          ) : null
        }
      />
      {testReport ? <SsoTestResult report={testReport} /> : null}
      <RedirectUri base={callbackBase} slug={slug} />
      <Card>
        <CardContent className="pt-6">
          <Form method="post" ref={formRef} className="flex flex-col gap-5">
            <input type="hidden" name="intent" value="save" />
            <FormError error={failed && !Object.keys(fe).length ? failed.error : null} />
            <div className="grid gap-4 sm:grid-cols-2">
              {provider ? null : (
                <>
                  <FormField label="Type" error={fe.type} required>
                    <Select
                      name="type"
                      value={type}
                      onChange={(e) => setType(e.target.value as (typeof SSO_TYPES)[number])}
                    >
                      {SSO_TYPES.map((t) => (
                        <option key={t} value={t}>
                          {SSO_TYPE_LABELS[t]}
                        </option>
                      ))}
                    </Select>
                  </FormField>
                  <FormField
                    label="Short name"
                    hint="Used in the sign-in address, e.g. google or district-idp. Cannot change later."
                    error={fe.slug}
                    required
                  >
                    <Input
                      name="slug"
                      autoComplete="off"
                      maxLength={40}
                      value={slug}
                      onChange={(e) => setSlug(e.target.value)}
                    />
                  </FormField>
                </>
              )}
              <FormField
                label="Button label"
                hint="Shown as “Continue with …”"
                error={fe.displayName}
                required
              >
                <Input name="displayName" defaultValue={provider?.displayName} maxLength={80} />
              </FormField>
              <FormField label="Client ID" error={fe.clientId} required>
                <Input name="clientId" defaultValue={provider?.clientId} autoComplete="off" />
              </FormField>
              <FormField
                label="Client secret"
                hint="Stored encrypted and never shown again."
                error={fe.clientSecret}
                required={type === 'google' && !provider?.clientSecret}
              >
                <SecretInput name="clientSecret" isSet={Boolean(provider?.clientSecret)} clearable />
              </FormField>
              {fields.issuer ? (
                <FormField
                  label="Issuer URL"
                  hint={
                    type === 'cognito'
                      ? 'https://cognito-idp.<region>.amazonaws.com/<user pool id>'
                      : 'The URL before /.well-known/openid-configuration'
                  }
                  error={fe.issuer}
                  required
                >
                  <Input name="issuer" type="url" defaultValue={provider?.issuer ?? ''} />
                </FormField>
              ) : null}
              {fields.domain ? (
                <FormField label="Hosted UI domain" hint="Without https://" error={fe.domain} required>
                  <Input name="domain" defaultValue={provider?.domain ?? ''} />
                </FormField>
              ) : null}
              {fields.tenant ? (
                <FormField
                  label="Tenant"
                  hint="Directory (tenant) ID or domain; organizations for any work account"
                  error={fe.tenant}
                  required
                >
                  <Input name="tenant" defaultValue={provider?.tenant ?? ''} />
                </FormField>
              ) : null}
            </div>
            <FormField
              label="Allowed e-mail domains"
              hint="Only these domains may sign in through this provider. Empty = any."
              error={fe.allowedDomains}
            >
              <Textarea
                name="allowedDomains"
                rows={2}
                defaultValue={provider?.allowedDomains.join('\n') ?? ''}
              />
            </FormField>
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField
                label="Group claim"
                hint="For example groups or cognito:groups"
                error={fe.groupClaim}
              >
                <Input name="groupClaim" defaultValue={provider?.groupClaim ?? ''} autoComplete="off" />
              </FormField>
              <FormField
                label="Groups to roles"
                hint="One per line: group = role. Mapped roles replace SSO-given roles at each sign-in."
                error={fe.groupRoles}
              >
                <Textarea
                  name="groupRoles"
                  rows={3}
                  defaultValue={provider ? formatGroupRoles(provider.groupRoles) : ''}
                  className="font-mono"
                />
              </FormField>
            </div>
            <label className="flex items-center gap-3 text-sm font-medium text-fg">
              <input
                type="checkbox"
                name="enabled"
                defaultChecked={provider?.enabled ?? true}
                className="size-4 accent-primary"
              />
              Show this provider on the sign-in page
            </label>
            <div className="flex gap-2">
              <Button type="submit" loading={saving}>
                {provider ? 'Save provider' : 'Add provider'}
              </Button>
              <Button asChild variant="ghost">
                <Link to="/admin/auth">Cancel</Link>
              </Button>
            </div>
          </Form>
        </CardContent>
      </Card>
    </>
  );
}
