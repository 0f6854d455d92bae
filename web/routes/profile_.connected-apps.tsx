/**
 * /profile/connected-apps: the apps (OAuth clients, MCP agents) the signed-in person has allowed to act for
 * them, with what each may do. Disconnect forgets the consent and revokes the app's tokens at once (its
 * refresh tokens and, through their grant, its access tokens).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { PageHeader } from '~/components/admin/page-header';
import { Alert, Button } from '~/components/ui';
import { formString, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { requireUser } from '~/lib/auth.server';
import { pageTitle } from '~/lib/root-data';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Connected apps');

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  return { apps: await context.services.oauth.connectedApps(context.ctx) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  if (intentOf(form) !== 'disconnect') return unknownIntent();
  return perform(() => context.services.oauth.disconnect(context.ctx, formString(form, 'clientId')));
}

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC' }) : 'never';

export default function ConnectedApps() {
  const { apps } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-8 px-4 py-6 sm:px-6 lg:px-8 lg:py-10">
      <div className="flex flex-col gap-3">
        <Link to="/profile" className="text-sm text-link underline-offset-4 hover:underline">
          ← Your profile
        </Link>
        <PageHeader
          title="Connected apps"
          description="Apps and AI agents you allowed to use AI Studio as you. Disconnecting one stops it at once."
        />
      </div>
      {result?.ok ? <Alert variant="success">Disconnected.</Alert> : null}
      {result && !result.ok ? <Alert variant="danger">{result.error}</Alert> : null}
      {apps.length === 0 ? (
        <p className="text-sm text-fg-muted">No connected apps.</p>
      ) : (
        <ul className="flex flex-col gap-4" aria-label="Connected apps">
          {apps.map((app) => (
            <li key={app.clientId} className="rounded-lg border border-border p-4">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0">
                  <h2 className="text-base font-semibold text-fg">{app.clientName}</h2>
                  <p className="text-xs text-fg-muted">
                    Allowed {when(app.consentedAt)} UTC · last used {when(app.lastUsedAt)}
                    {app.lastUsedAt ? ' UTC' : ''} · {app.activeGrants} active sign-in
                    {app.activeGrants === 1 ? '' : 's'}
                  </p>
                </div>
                <Form method="post">
                  <input type="hidden" name="intent" value="disconnect" />
                  <input type="hidden" name="clientId" value={app.clientId} />
                  <Button
                    type="submit"
                    variant="secondary"
                    size="sm"
                    loading={busy}
                    aria-label={`Disconnect ${app.clientName}`}
                  >
                    Disconnect
                  </Button>
                </Form>
              </div>
              <ul className="mt-3 list-disc pl-5 text-sm text-fg">
                {app.scopes.map((s) => (
                  <li key={s.scope}>{s.words}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
