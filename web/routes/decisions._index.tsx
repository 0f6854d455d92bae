/**
 * /decisions: the decision log. Search by words and meaning with filters (status, class, person, dates,
 * node type), newest first when not searching, paged by cursor; "Record a decision" for writers.
 */
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { PageHeader } from '~/components/admin/page-header';
import { nodeHref, TYPE_LABEL } from '~/components/decisions/node-meta';
import { NodeBadges } from '~/components/decisions/status-badge';
import { Alert, Button, buttonClasses, FormField, Input, Select } from '~/components/ui';
import { asServiceError, can, requireCapability } from '~/lib/auth.server';
import { listQuery } from '~/lib/decisions-form.server';
import { formatDate } from '~/lib/format';
import { pageTitle } from '~/lib/root-data';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Decisions');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireCapability(context, request, 'decisions:read');
  const url = new URL(request.url);
  const query = listQuery(url);
  const canWrite = can(actor, 'decisions:write');
  try {
    const page = await context.services.decisions.search(context.ctx, query);
    return { page, query, canWrite, error: null };
  } catch (err) {
    const e = asServiceError(err);
    if (!e || e.status !== 422) throw err;
    return { page: { items: [], nextCursor: null }, query, canWrite, error: e.message };
  }
}

function withCursor(query: Record<string, unknown>, cursor: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (typeof v === 'string' && v && k !== 'cursor') params.set(k, v);
  params.set('cursor', cursor);
  return `?${params}`;
}

export default function DecisionsPage() {
  const { page, query, canWrite, error } = useLoaderData<typeof loader>();
  const searching = useNavigation().state === 'loading';
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-6 sm:px-6 lg:px-8 lg:py-10">
      <PageHeader
        title="Decisions"
        description="What was decided, why, by whom, and who was consulted. Search by a word or by what it was about."
        actions={
          canWrite ? (
            <Link to="/decisions/new" className={buttonClasses('primary', 'md')}>
              Record a decision
            </Link>
          ) : null
        }
      />
      <Form method="get" role="search" aria-label="Search decisions" className="flex flex-col gap-4">
        <div className="flex flex-wrap items-end gap-3">
          <FormField label="Search" className="min-w-64 flex-1">
            <Input
              type="search"
              name="q"
              defaultValue={query.q ?? ''}
              placeholder="later start, budget, textbooks…"
            />
          </FormField>
          <Button type="submit" loading={searching}>
            Search
          </Button>
        </div>
        <details
          className="rounded-lg border border-border p-3"
          open={Boolean(
            query.status ||
              query.class ||
              query.person ||
              query.since ||
              query.until ||
              query.type !== 'decision',
          )}
        >
          <summary className="cursor-pointer text-sm font-medium text-fg">Filters</summary>
          <div className="mt-3 grid gap-3 sm:grid-cols-3">
            <FormField label="Show">
              <Select name="type" defaultValue={query.type}>
                {Object.entries(TYPE_LABEL).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label === 'Person' ? 'People' : `${label}s`}
                  </option>
                ))}
              </Select>
            </FormField>
            <FormField label="Status">
              <Select name="status" defaultValue={query.status ?? ''}>
                <option value="">Any</option>
                <option value="accepted">Accepted</option>
                <option value="proposed">Proposed</option>
                <option value="superseded">Superseded</option>
                <option value="rejected">Rejected</option>
              </Select>
            </FormField>
            <FormField label="Class">
              <Input name="class" defaultValue={query.class ?? ''} placeholder="budget" />
            </FormField>
            <FormField label="Person" hint="Name or e-mail">
              <Input name="person" defaultValue={query.person ?? ''} />
            </FormField>
            <FormField label="From">
              <Input type="date" name="since" defaultValue={query.since ?? ''} />
            </FormField>
            <FormField label="Before">
              <Input type="date" name="until" defaultValue={query.until ?? ''} />
            </FormField>
          </div>
        </details>
      </Form>
      {error ? <Alert variant="danger">{error}</Alert> : null}
      <section aria-label="Results" aria-live="polite" className="flex flex-col gap-3">
        {page.items.length === 0 ? (
          <p className="rounded-lg border border-dashed border-border p-6 text-center text-sm text-fg-muted">
            {query.q ? 'Nothing matches that search.' : 'No decisions recorded yet.'}
          </p>
        ) : (
          <ul className="flex flex-col gap-3">
            {page.items.map((n) => (
              <li key={n.id} className="rounded-lg border border-border bg-surface p-4">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <Link
                    to={nodeHref(n.id)}
                    className="text-base font-semibold text-link underline-offset-4 hover:underline"
                  >
                    {n.title}
                  </Link>
                  <NodeBadges type={n.type} status={n.status} />
                </div>
                {n.body ? <p className="mt-1 line-clamp-2 text-sm text-fg-muted">{n.body}</p> : null}
                <p className="mt-2 text-xs text-fg-muted">
                  {formatDate(n.createdAt)}
                  {n.class ? ` · ${n.class}` : ''}
                  {n.createdBy.label ? ` · recorded by ${n.createdBy.label}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
        {page.nextCursor ? (
          <Link to={withCursor(query, page.nextCursor)} className={buttonClasses('secondary', 'md')}>
            More results
          </Link>
        ) : null}
      </section>
    </div>
  );
}
