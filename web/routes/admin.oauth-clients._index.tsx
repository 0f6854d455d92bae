/**
 * /admin/oauth-clients (admin:settings): every OAuth client — registered here, with the CLI, or by an MCP
 * agent itself (marked "Registered itself") — with its redirect hosts, scopes, last use and status;
 * register a client (a confidential client's secret is shown once, from the action's answer); disable,
 * enable or approve one; the self-registration policy. The clients service validates and audits every change.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { FormError } from '~/components/admin/form-error';
import { PageHeader, Section } from '~/components/admin/page-header';
import { useFormResult } from '~/components/admin/use-form-result';
import { ScopeList } from '~/components/api-keys/key-badges';
import { NewKeyNotice } from '~/components/api-keys/new-key-notice';
import { ClientFields } from '~/components/oauth/client-fields';
import { ClientStatusBadge, ClientStatusButton } from '~/components/oauth/client-status';
import {
  Button,
  Card,
  CardContent,
  FormField,
  Input,
  Select,
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui';
import { formInteger, formString, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { requireCapability } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/format';
import { clientScopeChoices, clientStatusAction, newClientInput } from '~/lib/oauth-clients-form.server';
import { pageTitle } from '~/lib/root-data';
import type { OAuthClientView } from '../../api/features/oauth/clients.schemas';
import { redirectHost } from '../../api/features/oauth/redirect-uri';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'OAuth clients');

const CAPABILITY = 'admin:settings';

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireCapability(context, request, CAPABILITY);
  const { services, ctx } = context;
  const [clients, mode, unusedDays] = await Promise.all([
    services.oauthClients.list(ctx),
    services.oauthClients.dynamic.registrationMode(ctx),
    services.oauthClients.dynamic.unusedDays(ctx),
  ]);
  return {
    clients: clients.map((c) => ({ ...c, hosts: [...new Set(c.redirectUris.map(redirectHost))] })),
    scopes: clientScopeChoices(),
    registration: { mode, unusedDays },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireCapability(context, request, CAPABILITY);
  const { services, ctx } = context;
  const form = await request.formData();
  const status = clientStatusAction(context, form);
  if (status) return status;
  switch (intentOf(form)) {
    case 'create':
      return perform(() => services.oauthClients.create(ctx, newClientInput(form)));
    case 'registration':
      return perform(async () => ({
        mode: await services.oauthClients.dynamic.setRegistrationMode(ctx, formString(form, 'mode')),
        unusedDays: await services.oauthClients.dynamic.setUnusedDays(
          ctx,
          formInteger(form, 'unusedDays') ?? Number.NaN,
        ),
      }));
    default:
      return unknownIntent();
  }
}

interface Created {
  client: OAuthClientView;
  secret: string;
}

function createdIn(answer: unknown): Created | null {
  const a = answer as { ok?: boolean; data?: Partial<Created> } | undefined;
  return a?.ok && a.data?.secret && a.data.client ? (a.data as Created) : null;
}

export default function AdminOAuthClients() {
  const { clients, scopes, registration } = useLoaderData<typeof loader>();
  const create = useFetcher<typeof action>();
  const posted = useActionData<typeof action>();
  const [shown, setShown] = useState<Created | null>(() => createdIn(posted));
  useEffect(() => {
    const created = create.state === 'idle' ? createdIn(create.data) : null;
    if (created) setShown(created);
  }, [create.state, create.data]);
  return (
    <>
      <PageHeader
        title="OAuth clients"
        description="Applications and AI agents that act for people after they approve them on the consent page. Disabling a client stops its tokens at once."
      />
      {posted && !posted.ok ? <FormError error={posted.error} /> : null}
      {shown ? (
        <NewKeyNotice
          key={shown.client.id}
          name={shown.client.name}
          secret={shown.secret}
          what="client secret"
          title={`Client secret of “${shown.client.name}” (client id ${shown.client.id})`}
          onDismiss={() => setShown(null)}
        />
      ) : null}
      <Section id="clients" title="Clients">
        <ClientsTable clients={clients} />
      </Section>
      <Section
        id="register"
        title="Register a client"
        description="A confidential client (a server) gets a secret; a public client (a desktop or browser app) uses PKCE alone."
      >
        <RegisterClientForm fetcher={create} scopes={scopes} />
      </Section>
      <Section
        id="self-registration"
        title="Self-registration"
        description="MCP agents can register themselves (RFC 7591) as public clients limited to the mcp:* and sign-in scopes."
      >
        <RegistrationPolicyForm {...registration} />
      </Section>
    </>
  );
}

type ClientRow = ReturnType<typeof useLoaderData<typeof loader>>['clients'][number];

function ClientsTable({ clients }: { clients: ClientRow[] }) {
  return (
    <Table>
      <TableCaption className="sr-only">OAuth clients, newest first</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Type</TableHead>
          <TableHead>Returns to</TableHead>
          <TableHead>Scopes</TableHead>
          <TableHead>Last used</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {clients.length === 0 ? (
          <TableEmpty colSpan={7} title="No OAuth clients yet">
            Register one below, or let an MCP agent register itself.
          </TableEmpty>
        ) : (
          clients.map((c) => (
            <TableRow key={c.id} data-client-id={c.id}>
              <TableCell className="min-w-40">
                <Link
                  to={c.id}
                  className="font-medium text-link underline-offset-4 hover:underline"
                  aria-label={`Edit ${c.name}`}
                >
                  {c.name}
                </Link>
                <div className="font-mono text-xs text-fg-muted">{c.id}</div>
              </TableCell>
              <TableCell className="whitespace-nowrap">
                {c.public ? 'Public' : 'Confidential'}
                {c.dynamic ? <div className="text-xs text-fg-muted">Registered itself</div> : null}
              </TableCell>
              <TableCell className="text-sm">{c.hosts.join(', ')}</TableCell>
              <TableCell>
                <ScopeList scopes={c.scopes} />
              </TableCell>
              <TableCell className="whitespace-nowrap text-fg-muted">
                {c.lastUsedAt ? formatDateTime(c.lastUsedAt) : 'Never'}
              </TableCell>
              <TableCell>
                <ClientStatusBadge status={c.status} />
              </TableCell>
              <TableCell>
                <div className="flex justify-end">
                  <ClientStatusButton client={c} />
                </div>
              </TableCell>
            </TableRow>
          ))
        )}
      </TableBody>
    </Table>
  );
}

function RegisterClientForm({
  fetcher,
  scopes,
}: {
  fetcher: ReturnType<typeof useFetcher<typeof action>>;
  scopes: { scope: string; words: string }[];
}) {
  const {
    ref,
    busy,
    error,
    fieldErrors: fe,
  } = useFormResult(fetcher, {
    success: 'Client registered',
    resetOnSuccess: true,
  });
  return (
    <Card>
      <CardContent className="pt-6">
        <fetcher.Form method="post" ref={ref} className="flex flex-col gap-5">
          <input type="hidden" name="intent" value="create" />
          <FormError error={error && !Object.keys(fe).length ? error : null} />
          <ClientFields scopes={scopes} fieldErrors={fe} confidential />
          <label className="flex items-start gap-3 text-sm">
            <input type="checkbox" name="public" className="mt-0.5 size-4 accent-primary" />
            <span>
              <span className="font-medium">Public client</span>
              <span className="block text-fg-muted">
                No secret: for apps that cannot keep one (desktop, mobile, single-page).
              </span>
            </span>
          </label>
          <div>
            <Button type="submit" loading={busy}>
              Register client
            </Button>
          </div>
        </fetcher.Form>
      </CardContent>
    </Card>
  );
}

function RegistrationPolicyForm({ mode, unusedDays }: { mode: string; unusedDays: number }) {
  const fetcher = useFetcher();
  const { ref, busy, error, fieldErrors: fe } = useFormResult(fetcher, { success: 'Saved' });
  return (
    <Card>
      <CardContent className="pt-6">
        <fetcher.Form method="post" ref={ref} className="flex flex-col gap-4">
          <input type="hidden" name="intent" value="registration" />
          <FormError error={error && !Object.keys(fe).length ? error : null} />
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField label="Agents may register themselves" error={fe.mode}>
              <Select name="mode" defaultValue={mode}>
                <option value="open">Yes</option>
                <option value="approval">Yes, after an administrator approves</option>
                <option value="off">No</option>
              </Select>
            </FormField>
            <FormField
              label="Delete self-registered clients unused for (days)"
              error={fe.unusedDays}
              hint="Checked nightly; a client someone is still connected to stays."
            >
              <Input
                name="unusedDays"
                type="number"
                inputMode="numeric"
                min={1}
                max={3650}
                defaultValue={unusedDays}
              />
            </FormField>
          </div>
          <div>
            <Button type="submit" variant="secondary" loading={busy}>
              Save
            </Button>
          </div>
        </fetcher.Form>
      </CardContent>
    </Card>
  );
}
