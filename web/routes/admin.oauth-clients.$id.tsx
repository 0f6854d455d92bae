/**
 * /admin/oauth-clients/:id (admin:settings): edit one OAuth client (name, redirect URIs, scopes, service
 * account), rotate a confidential client's secret (the new one is shown once; the old one stops at once),
 * disable, enable or approve it. The clients service validates and audits every change.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useFetcher, useLoaderData } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { ConfirmAction } from '~/components/admin/confirm-action';
import { FormError } from '~/components/admin/form-error';
import { PageHeader, Section } from '~/components/admin/page-header';
import { useFormResult } from '~/components/admin/use-form-result';
import { NewKeyNotice } from '~/components/api-keys/new-key-notice';
import { ClientFields } from '~/components/oauth/client-fields';
import { ClientStatusBadge, ClientStatusButton } from '~/components/oauth/client-status';
import { Button, Card, CardContent } from '~/components/ui';
import { formString, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { asServiceError, requireCapability } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/format';
import { clientFields, clientScopeChoices, clientStatusAction } from '~/lib/oauth-clients-form.server';
import { pageTitle } from '~/lib/root-data';

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data ? `${data.client.name} · OAuth clients` : 'OAuth client');

const CAPABILITY = 'admin:settings';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireCapability(context, request, CAPABILITY);
  const { services, ctx } = context;
  const client = await services.oauthClients.get(ctx, params.id ?? '').catch((err: unknown) => {
    if (asServiceError(err)?.status === 404) throw new Response('No such OAuth client', { status: 404 });
    throw err;
  });
  return { client, scopes: clientScopeChoices() };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  requireCapability(context, request, CAPABILITY);
  const { services, ctx } = context;
  const id = params.id ?? '';
  const form = await request.formData();
  const status = clientStatusAction(context, form);
  if (status) return status;
  switch (intentOf(form)) {
    case 'update': {
      const fields = clientFields(form);
      return perform(() =>
        services.oauthClients.update(ctx, id, {
          ...fields,
          // A public client has no service account; the form does not offer the field for it.
          serviceUserEmail: form.has('serviceUserEmail') ? fields.serviceUserEmail : undefined,
        }),
      );
    }
    case 'rotate':
      return perform(() => services.oauthClients.rotateSecret(ctx, formString(form, 'id') || id));
    default:
      return unknownIntent();
  }
}

export default function AdminOAuthClient() {
  const { client, scopes } = useLoaderData<typeof loader>();
  const rotate = useFetcher<typeof action>();
  const [secret, setSecret] = useState<string | null>(null);
  useEffect(() => {
    const answer =
      rotate.state === 'idle' ? (rotate.data as { ok?: boolean; data?: { secret?: string } }) : null;
    if (answer?.ok && answer.data?.secret) setSecret(answer.data.secret);
  }, [rotate.state, rotate.data]);
  return (
    <>
      <div className="flex flex-col gap-3">
        <Link to="/admin/oauth-clients" className="text-sm text-link underline-offset-4 hover:underline">
          ← OAuth clients
        </Link>
        <PageHeader
          title={client.name}
          description={
            <>
              {client.public ? 'Public' : 'Confidential'} client
              {client.dynamic ? ', registered itself' : ''} · client id{' '}
              <code className="font-mono text-xs">{client.id}</code> ·{' '}
              {client.rateLimitRpm.toLocaleString('en-US')} requests a minute per person · last used{' '}
              {client.lastUsedAt ? formatDateTime(client.lastUsedAt) : 'never'}
            </>
          }
          actions={
            <>
              <ClientStatusBadge status={client.status} />
              <ClientStatusButton client={client} />
            </>
          }
        />
      </div>
      {secret ? (
        <NewKeyNotice
          name={client.name}
          secret={secret}
          what="client secret"
          title={`New client secret of “${client.name}”`}
          onDismiss={() => setSecret(null)}
        />
      ) : null}
      <Section id="edit" title="Details">
        <EditClientForm key={client.id} client={client} scopes={scopes} />
      </Section>
      {client.public ? null : (
        <Section
          id="secret"
          title="Client secret"
          description={
            client.secretRotatedAt
              ? `Last replaced ${formatDateTime(client.secretRotatedAt)}.`
              : 'Shown once when the client was registered.'
          }
        >
          <div>
            <ConfirmAction
              fetcher={rotate}
              fields={{ intent: 'rotate', id: client.id }}
              trigger="Rotate secret"
              title={`Replace the secret of “${client.name}”?`}
              description="The current secret stops working at once; the new one is shown once. Update the app before it next signs in."
              confirmLabel="Rotate secret"
              triggerVariant="secondary"
              triggerSize="md"
            />
          </div>
        </Section>
      )}
    </>
  );
}

function EditClientForm({
  client,
  scopes,
}: {
  client: ReturnType<typeof useLoaderData<typeof loader>>['client'];
  scopes: { scope: string; words: string }[];
}) {
  const fetcher = useFetcher();
  const { ref, busy, error, fieldErrors: fe } = useFormResult(fetcher, { success: 'Saved' });
  return (
    <Card>
      <CardContent className="pt-6">
        <fetcher.Form method="post" ref={ref} className="flex flex-col gap-5">
          <input type="hidden" name="intent" value="update" />
          <FormError error={error && !Object.keys(fe).length ? error : null} />
          <ClientFields scopes={scopes} fieldErrors={fe} client={client} confidential={!client.public} />
          <div>
            <Button type="submit" loading={busy}>
              Save changes
            </Button>
          </div>
        </fetcher.Form>
      </CardContent>
    </Card>
  );
}
