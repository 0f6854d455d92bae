/**
 * /admin/budgets: monthly usage limits (tokens and/or USD) per role, and per-person overrides that replace
 * the role limits for that person. Managed by admin:models or admin:settings, as the budgets service
 * decides; it validates and audits every change.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { BudgetRow, NewUserBudget } from '~/components/admin/budget-row';
import { PageHeader, Section } from '~/components/admin/page-header';
import {
  Table,
  TableBody,
  TableCaption,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui';
import {
  failure,
  formInteger,
  formOptional,
  formString,
  intentOf,
  perform,
  requireBudgetAdmin,
  unknownIntent,
} from '~/lib/admin.server';
import { pageTitle } from '~/lib/root-data';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Budgets');

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireBudgetAdmin(context, request);
  const { services, ctx } = context;
  const budgets = await services.budgets.list(ctx);
  // Listing roles needs admin:users; without it, the roles that already have a budget are shown.
  const roleNames = await services.roles
    .list(ctx)
    .then((r) => r.map((x) => x.name))
    .catch(() => budgets.flatMap((b) => (b.role ? [b.role] : [])));
  return {
    roles: roleNames.map((name) => ({
      name,
      budget: budgets.find((b) => b.scope === 'role' && b.role === name) ?? null,
    })),
    users: budgets.filter((b) => b.scope === 'user'),
  };
}

function limits(form: FormData) {
  return { limitTokens: formInteger(form, 'limitTokens'), limitCostUsd: formOptional(form, 'limitCostUsd') };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireBudgetAdmin(context, request);
  const { services, ctx } = context;
  const form = await request.formData();
  const id = formString(form, 'id');
  const { limitTokens, limitCostUsd } = limits(form);
  if (Number.isNaN(limitTokens))
    return failure('Tokens must be a whole number', { limitTokens: 'must be a whole number' });
  switch (intentOf(form)) {
    case 'save-role':
      if (!id && limitTokens === null && limitCostUsd === null) return perform(async () => null);
      return id
        ? perform(() => services.budgets.update(ctx, id, { limitTokens, limitCostUsd }))
        : perform(() =>
            services.budgets.create(ctx, {
              scope: 'role',
              role: formString(form, 'role'),
              limitTokens,
              limitCostUsd,
            }),
          );
    case 'save-user':
      return perform(() => services.budgets.update(ctx, id, { limitTokens, limitCostUsd }));
    case 'add-user': {
      const email = formString(form, 'email').trim();
      const user = email ? await services.users.findByEmail(ctx, email) : undefined;
      if (!user)
        return failure('No account has this e-mail address', {
          email: email ? 'no account has this address' : 'is required',
        });
      return perform(() =>
        services.budgets.create(ctx, { scope: 'user', userId: user.id, limitTokens, limitCostUsd }),
      );
    }
    case 'delete':
      return perform(() => services.budgets.remove(ctx, id));
    default:
      return unknownIntent();
  }
}

export default function AdminBudgets() {
  const { roles, users } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Budgets"
        description="Monthly limits on AI usage, counted from the 1st of each month (UTC). Blank means no limit. A person with several roles gets the most generous of their roles' limits; a personal override replaces them."
      />
      <Section id="roles" title="Per role">
        <Table>
          <TableCaption className="sr-only">Monthly budget per role</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>Role</TableHead>
              <TableHead>Tokens per month</TableHead>
              <TableHead>USD per month</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {roles.map((r) => (
              <BudgetRow key={r.name} label={r.name} role={r.name} budget={r.budget} />
            ))}
          </TableBody>
        </Table>
      </Section>
      <Section
        id="people"
        title="Per person"
        description="Overrides for individual people, e.g. a teacher running a class project."
      >
        <Table>
          <TableCaption className="sr-only">Monthly budget overrides per person</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>Person</TableHead>
              <TableHead>Tokens per month</TableHead>
              <TableHead>USD per month</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {users.length === 0 ? <TableEmpty colSpan={4} title="No personal overrides" /> : null}
            {users.map((b) => (
              <BudgetRow key={b.id} label={b.userEmail ?? b.userId ?? ''} budget={b} />
            ))}
          </TableBody>
        </Table>
        <NewUserBudget />
      </Section>
    </>
  );
}
