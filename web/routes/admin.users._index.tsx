/** /admin/users: find people by name or e-mail, filter by status and role, and open one. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { AddUserForm } from '~/components/admin/add-user-form';
import { PageHeader, Section } from '~/components/admin/page-header';
import {
  Badge,
  Button,
  FormField,
  Input,
  Pagination,
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
import { formOptional, formString, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { requireCapability } from '~/lib/auth.server';
import { formatDateTime, formatNumber } from '~/lib/format';
import { pageTitle } from '~/lib/root-data';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Users');

const PAGE_SIZE = 25;

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireCapability(context, request, 'admin:users');
  const url = new URL(request.url);
  const q = url.searchParams.get('q')?.trim().slice(0, 200) ?? '';
  const status = url.searchParams.get('status');
  const role = url.searchParams.get('role')?.trim().slice(0, 40) ?? '';
  const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
  const { services, ctx } = context;
  const [result, roles, defaultRole] = await Promise.all([
    services.users.list(ctx, {
      q: q || undefined,
      status: status === 'active' || status === 'disabled' ? status : undefined,
      role: role || undefined,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    }),
    services.roles.list(ctx),
    services.users.defaultRole(ctx),
  ]);
  return {
    users: result.items.map((u) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      status: u.status,
      roles: u.roles.map((r) => r.name),
      lastLoginAt: u.lastLoginAt,
    })),
    total: result.total,
    page,
    pageCount: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
    roles: roles.map((r) => r.name),
    defaultRole,
    filters: { q, status: status ?? '', role },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireCapability(context, request, 'admin:users');
  const { services, ctx } = context;
  const form = await request.formData();
  if (intentOf(form) !== 'create') return unknownIntent();
  return perform(async () => {
    const user = await services.users.create(ctx, {
      email: formString(form, 'email'),
      name: formString(form, 'name'),
      password: formOptional(form, 'password') ?? undefined,
      roles: [formString(form, 'role')].filter(Boolean),
    });
    return { id: user.id, email: user.email };
  });
}

export default function AdminUsers() {
  const { users, total, page, pageCount, roles, defaultRole, filters } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const searching = useNavigation().state === 'loading';
  const hrefFor = (p: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(p));
    return `?${next.toString()}`;
  };
  const filtered = Boolean(filters.q || filters.status || filters.role);
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone with an account. Open a person to change their roles, end their sessions, disable the account or set a new password."
      />
      <Form
        method="get"
        role="search"
        aria-label="Filter users"
        className="grid gap-3 sm:grid-cols-[1fr_10rem_10rem_auto] sm:items-end"
      >
        <FormField label="Search">
          <Input name="q" type="search" defaultValue={filters.q} placeholder="Name or e-mail" />
        </FormField>
        <FormField label="Status">
          <Select name="status" defaultValue={filters.status}>
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled</option>
          </Select>
        </FormField>
        <FormField label="Role">
          <Select name="role" defaultValue={filters.role}>
            <option value="">Any</option>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        </FormField>
        <div className="flex gap-2">
          <Button type="submit" loading={searching}>
            Search
          </Button>
          {filtered ? (
            <Button asChild variant="ghost">
              <Link to=".">Clear</Link>
            </Button>
          ) : null}
        </div>
      </Form>
      <Table>
        <TableCaption>
          {filtered ? 'Matching users' : 'All users'}: {formatNumber(total)}
          {pageCount > 1 ? ` · page ${page} of ${pageCount}` : ''}
        </TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Roles</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Last sign-in</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {users.length === 0 ? (
            <TableEmpty colSpan={4} title="No users match">
              Try a shorter search, or clear the filters.
            </TableEmpty>
          ) : (
            users.map((u) => (
              <TableRow key={u.id}>
                <TableCell>
                  <Link to={u.id} className="font-medium text-link underline-offset-4 hover:underline">
                    {u.name || u.email}
                  </Link>
                  {u.name ? <div className="text-xs text-fg-muted">{u.email}</div> : null}
                </TableCell>
                <TableCell>
                  <div className="flex flex-wrap gap-1">
                    {u.roles.map((r) => (
                      <Badge key={r} variant={r === 'administrator' ? 'primary' : 'neutral'}>
                        {r}
                      </Badge>
                    ))}
                  </div>
                </TableCell>
                <TableCell>
                  <Badge variant={u.status === 'active' ? 'success' : 'danger'}>
                    {u.status === 'active' ? 'Active' : 'Disabled'}
                  </Badge>
                </TableCell>
                <TableCell className="whitespace-nowrap text-fg-muted">
                  {formatDateTime(u.lastLoginAt)}
                </TableCell>
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
      <Pagination page={page} pageCount={pageCount} href={hrefFor} />
      <Section
        id="add-user"
        title="Add a person"
        description="People can also create their own account (if sign-up is on) or arrive through single sign-on."
      >
        <AddUserForm roles={roles} defaultRole={defaultRole} />
      </Section>
    </>
  );
}
