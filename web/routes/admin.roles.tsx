/**
 * /admin/roles: roles and the capabilities they grant. Custom roles can be created and deleted; built-in
 * roles keep their name (the roles service refuses renaming or deleting them) but their capabilities may be
 * edited. Every change is audited by the service.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useFetcher, useLoaderData } from '@remix-run/react';
import { ConfirmAction } from '~/components/admin/confirm-action';
import { FormError } from '~/components/admin/form-error';
import { PageHeader, Section } from '~/components/admin/page-header';
import { useFormResult } from '~/components/admin/use-form-result';
import { Badge, Button, Card, CardContent, CardHeader, CardTitle, FormField, Input } from '~/components/ui';
import { formString, formStrings, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { requireCapability } from '~/lib/auth.server';
import { pageTitle } from '~/lib/root-data';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Roles');

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireCapability(context, request, 'admin:users');
  const { services, ctx } = context;
  const [roles, capabilities] = await Promise.all([
    services.roles.list(ctx),
    services.roles.listCapabilities(ctx),
  ]);
  return {
    roles,
    capabilities: capabilities.map((c) => ({ name: c.name, description: c.description })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireCapability(context, request, 'admin:users');
  const { services, ctx } = context;
  const form = await request.formData();
  const id = formString(form, 'id');
  switch (intentOf(form)) {
    case 'create':
      return perform(() =>
        services.roles.create(ctx, {
          name: formString(form, 'name'),
          description: formString(form, 'description'),
          capabilities: formStrings(form, 'capabilities'),
        }),
      );
    case 'update':
      return perform(() =>
        services.roles.update(ctx, id, {
          description: formString(form, 'description'),
          capabilities: formStrings(form, 'capabilities'),
        }),
      );
    case 'delete':
      return perform(() => services.roles.remove(ctx, id));
    default:
      return unknownIntent();
  }
}

type Capability = { name: string; description: string | null };

/** Capabilities grouped by area (the part before the colon), in a stable order. */
function byArea(capabilities: Capability[]): [string, Capability[]][] {
  const groups = new Map<string, Capability[]>();
  for (const c of capabilities) {
    const area = c.name.split(':')[0] ?? c.name;
    groups.set(area, [...(groups.get(area) ?? []), c]);
  }
  return [...groups.entries()];
}

export default function AdminRoles() {
  const { roles, capabilities } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Roles"
        description="A role is a set of capabilities. People get the capabilities of all their roles; administrators can always do everything."
      />
      <div className="flex flex-col gap-6">
        {roles.map((role) => (
          <RoleCard key={role.id} role={role} capabilities={capabilities} />
        ))}
      </div>
      <CreateRole capabilities={capabilities} />
    </>
  );
}

function CapabilityChecklist({
  capabilities,
  selected,
  idPrefix,
  error,
}: {
  capabilities: Capability[];
  selected: string[];
  idPrefix: string;
  error?: string;
}) {
  return (
    <fieldset className="flex flex-col gap-4" aria-describedby={error ? `${idPrefix}-caps-error` : undefined}>
      <legend className="mb-2 text-sm font-medium text-fg">Capabilities</legend>
      <div className="grid gap-x-6 gap-y-4 sm:grid-cols-2 xl:grid-cols-3">
        {byArea(capabilities).map(([area, caps]) => (
          <div key={area} className="flex flex-col gap-2">
            <p className="text-xs font-semibold uppercase tracking-wide text-fg-muted">{area}</p>
            {caps.map((c) => (
              <label key={c.name} className="flex cursor-pointer items-start gap-2.5 text-sm">
                <input
                  type="checkbox"
                  name="capabilities"
                  value={c.name}
                  defaultChecked={selected.includes(c.name)}
                  className="mt-0.5 size-4 shrink-0 accent-primary"
                />
                <span>
                  <span className="font-mono text-xs text-fg">{c.name}</span>
                  {c.description ? <span className="block text-fg-muted">{c.description}</span> : null}
                </span>
              </label>
            ))}
          </div>
        ))}
      </div>
      {error ? (
        <p id={`${idPrefix}-caps-error`} className="text-sm font-medium text-danger-soft-fg">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function RoleCard({
  role,
  capabilities,
}: {
  role: {
    id: string;
    name: string;
    description: string;
    isSystem: boolean;
    capabilities: string[];
    userCount: number;
  };
  capabilities: Capability[];
}) {
  const fetcher = useFetcher<typeof action>();
  const remover = useFetcher<typeof action>();
  const { ref, busy, error, fieldErrors } = useFormResult(fetcher, { success: `Role ${role.name} saved` });
  const removed = useFormResult(remover, { success: `Role ${role.name} deleted` });
  const headingId = `role-${role.id}`;
  return (
    <Card aria-labelledby={headingId} role="region">
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
        <div>
          <CardTitle as="h2">
            <span id={headingId}>{role.name}</span>
          </CardTitle>
          <div className="mt-1 flex flex-wrap items-center gap-2 text-sm text-fg-muted">
            {role.isSystem ? <Badge>Built-in</Badge> : <Badge variant="primary">Custom</Badge>}
            <span>
              {role.userCount} {role.userCount === 1 ? 'person' : 'people'}
            </span>
          </div>
        </div>
        {role.isSystem ? null : (
          <ConfirmAction
            fetcher={remover}
            fields={{ intent: 'delete', id: role.id }}
            trigger="Delete role"
            title={`Delete the role ${role.name}?`}
            description={
              role.userCount > 0
                ? `${role.userCount} ${role.userCount === 1 ? 'person loses' : 'people lose'} the capabilities this role gives them.`
                : 'Nobody has this role.'
            }
            confirmLabel="Delete role"
          />
        )}
      </CardHeader>
      <CardContent>
        <FormError error={removed.error} />
        <fetcher.Form method="post" ref={ref} className="flex flex-col gap-5">
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="id" value={role.id} />
          <FormError error={error && !Object.keys(fieldErrors).length ? error : null} />
          <FormField label="Description" error={fieldErrors.description}>
            <Input name="description" defaultValue={role.description} maxLength={500} />
          </FormField>
          {role.name === 'administrator' ? (
            <p className="text-sm text-fg-muted">
              Administrators can do everything whatever is ticked here; the list only matters for access
              tokens.
            </p>
          ) : null}
          <CapabilityChecklist
            capabilities={capabilities}
            selected={role.capabilities}
            idPrefix={role.id}
            error={fieldErrors.capabilities}
          />
          <div>
            <Button type="submit" loading={busy}>
              Save {role.name}
            </Button>
          </div>
        </fetcher.Form>
      </CardContent>
    </Card>
  );
}

function CreateRole({ capabilities }: { capabilities: Capability[] }) {
  const fetcher = useFetcher<typeof action>();
  const { ref, busy, error, fieldErrors } = useFormResult(fetcher, {
    success: 'Role created',
    resetOnSuccess: true,
  });
  return (
    <Section
      id="new-role"
      title="New role"
      description="For example a role for librarians or district office staff."
    >
      <Card>
        <CardContent className="pt-6">
          <fetcher.Form method="post" ref={ref} className="flex flex-col gap-5">
            <input type="hidden" name="intent" value="create" />
            <FormError error={error && !Object.keys(fieldErrors).length ? error : null} />
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField
                label="Name"
                error={fieldErrors.name}
                hint="Lowercase letters, digits, - or _."
                required
              >
                <Input name="name" autoComplete="off" maxLength={40} />
              </FormField>
              <FormField label="Description" error={fieldErrors.description}>
                <Input name="description" maxLength={500} />
              </FormField>
            </div>
            <CapabilityChecklist
              capabilities={capabilities}
              selected={[]}
              idPrefix="new"
              error={fieldErrors.capabilities}
            />
            <div>
              <Button type="submit" loading={busy}>
                Create role
              </Button>
            </div>
          </fetcher.Form>
        </CardContent>
      </Card>
    </Section>
  );
}
