/**
 * /admin/models/:id — edit one model (name, description, prices, limits, capabilities, surfaces, active),
 * choose who may use it (roles and people; none = everyone with the surface's capability), test it, or
 * delete it. admin:models; the models service validates and audits.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link, useFetcher, useLoaderData } from '@remix-run/react';
import { ConfirmAction } from '~/components/admin/confirm-action';
import { FormError } from '~/components/admin/form-error';
import { ModelEditForm } from '~/components/admin/model-edit-form';
import { type ModelTestAnswer, ModelTestResult } from '~/components/admin/model-test-result';
import { PageHeader, Section } from '~/components/admin/page-header';
import { useFormResult } from '~/components/admin/use-form-result';
import { Button, Card, CardContent, FormField, Textarea } from '~/components/ui';
import {
  failed,
  failure,
  formString,
  formStrings,
  intentOf,
  perform,
  unknownIntent,
} from '~/lib/admin.server';
import { requireCapability } from '~/lib/auth.server';
import { emailList, modelFields } from '~/lib/models-form.server';
import { providerLabel } from '~/lib/models-meta';
import { pageTitle } from '~/lib/root-data';

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data ? `${data.model.displayName} · Models` : 'Model');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireCapability(context, request, 'admin:models');
  const { services, ctx } = context;
  const model = await services.models.get(ctx, params.id ?? '').catch((err: unknown) => {
    if ((err as { status?: number }).status === 404) throw new Response('No such model', { status: 404 });
    throw err;
  });
  // Role names for the grant checklist: listing roles needs admin:users; without it, show the granted ones.
  const roles = await services.roles
    .list(ctx)
    .then((r) => r.map((x) => x.name))
    .catch(() => model.grants.roles);
  const labels = await services.users.labels(ctx, model.grants.userIds);
  const grantedEmails = model.grants.userIds.map((id) => labels.get(id)?.email ?? id);
  return { model, roles, grantedEmails };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  requireCapability(context, request, 'admin:models');
  const { services, ctx } = context;
  const id = params.id ?? '';
  const form = await request.formData();
  switch (intentOf(form)) {
    case 'update':
      return perform(() => services.models.update(ctx, id, modelFields(form)));
    case 'grants': {
      const emails = emailList(formString(form, 'emails'));
      const userIds: string[] = [];
      const unknown: string[] = [];
      for (const email of emails) {
        const user = await services.users.findByEmail(ctx, email);
        if (user) userIds.push(user.id);
        else unknown.push(email);
      }
      if (unknown.length) {
        return failure(`No account for ${unknown.join(', ')}`, {
          emails: `no account for ${unknown.join(', ')}`,
        });
      }
      return perform(() =>
        services.models.setGrants(ctx, id, { roles: formStrings(form, 'roles'), userIds }),
      );
    }
    case 'test':
      return perform(() => services.models.test(ctx, id));
    case 'delete':
      try {
        await services.models.remove(ctx, id);
      } catch (err) {
        return failed(err);
      }
      throw redirect('/admin/models');
    default:
      return unknownIntent();
  }
}

export default function AdminModel() {
  const { model, roles, grantedEmails } = useLoaderData<typeof loader>();
  const tester = useFetcher<typeof action>();
  const remover = useFetcher<typeof action>();
  const test = useFormResult(tester);
  const removed = useFormResult(remover);
  return (
    <>
      <div>
        <Link to="/admin/models" className="text-sm font-medium text-link underline-offset-4 hover:underline">
          ← All models
        </Link>
      </div>
      <PageHeader
        title={model.displayName}
        description={
          <>
            {providerLabel(model.provider)} · <span className="font-mono">{model.modelId}</span>
          </>
        }
        actions={
          <>
            <tester.Form method="post">
              <input type="hidden" name="intent" value="test" />
              <Button type="submit" variant="secondary" loading={test.busy}>
                Test model
              </Button>
            </tester.Form>
            <ConfirmAction
              fetcher={remover}
              fields={{ intent: 'delete' }}
              trigger="Delete"
              triggerSize="md"
              title={`Delete ${model.displayName}?`}
              description="People can no longer pick it. A model with conversations or usage records cannot be deleted; deactivate it instead."
              confirmLabel="Delete model"
            />
          </>
        }
      />
      {/* Empty until a test runs; the negative margin cancels the page gap meanwhile. */}
      <div aria-live="polite" className="empty:-mt-8">
        {test.data ? <ModelTestResult result={test.data as ModelTestAnswer} /> : null}
        <FormError error={test.error ?? removed.error} />
      </div>
      <Section id="details" title="Details">
        <ModelEditForm model={model} />
      </Section>
      <GrantsForm granted={model.grants.roles} roles={roles} emails={grantedEmails} />
    </>
  );
}

function GrantsForm({ granted, roles, emails }: { granted: string[]; roles: string[]; emails: string[] }) {
  const fetcher = useFetcher<typeof action>();
  const { ref, busy, error, fieldErrors } = useFormResult(fetcher, { success: 'Access saved' });
  return (
    <Section
      id="access"
      title="Who may use it"
      description="Leave everything empty to open the model to everyone who may use its surfaces. Administrators can always use it."
    >
      <Card>
        <CardContent className="pt-6">
          <fetcher.Form method="post" ref={ref} className="flex flex-col gap-5">
            <input type="hidden" name="intent" value="grants" />
            <FormError error={error && !Object.keys(fieldErrors).length ? error : null} />
            <fieldset>
              <legend className="mb-2 text-sm font-medium">Roles</legend>
              <div className="flex flex-wrap gap-x-6 gap-y-2">
                {roles.map((r) => (
                  <label key={r} className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      name="roles"
                      value={r}
                      defaultChecked={granted.includes(r)}
                      className="size-4 accent-primary"
                    />
                    {r}
                  </label>
                ))}
              </div>
              {fieldErrors.roles ? (
                <p className="mt-1 text-sm text-danger-soft-fg">{fieldErrors.roles}</p>
              ) : null}
            </fieldset>
            <FormField
              label="People"
              hint="E-mail addresses, one per line"
              error={fieldErrors.emails ?? fieldErrors.userIds}
            >
              <Textarea name="emails" rows={3} defaultValue={emails.join('\n')} />
            </FormField>
            <div>
              <Button type="submit" loading={busy}>
                Save access
              </Button>
            </div>
          </fetcher.Form>
        </CardContent>
      </Card>
    </Section>
  );
}
