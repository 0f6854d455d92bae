/**
 * /decisions/:id: one node (usually a decision) with its package — who decided, reasoning, evidence,
 * alternatives, people, what it supersedes — its history, an interactive graph of its neighbourhood
 * (depth 1–3), a Markdown download, and for writers a status change or "record a decision that
 * supersedes this".
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import xyflowStyles from '@xyflow/react/dist/style.css?url';
import { DecisionGraph } from '~/components/decisions/decision-graph';
import { TYPE_LABEL } from '~/components/decisions/node-meta';
import { HistoryList, PackageSections } from '~/components/decisions/package-view';
import { NodeBadges } from '~/components/decisions/status-badge';
import { Button, buttonClasses, FormField, Select } from '~/components/ui';
import { formString, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { asServiceError, can, requireCapability } from '~/lib/auth.server';
import { formatDate } from '~/lib/format';
import { pageTitle } from '~/lib/root-data';
import { useHydrated } from '~/lib/use-hydrated';

export const links = () => [{ rel: 'stylesheet', href: xyflowStyles }];

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data?.pkg.node.title ?? 'Decision');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireCapability(context, request, 'decisions:read');
  const { services, ctx } = context;
  const depthParam = Number(new URL(request.url).searchParams.get('depth') ?? 1);
  const depth = [1, 2, 3].includes(depthParam) ? depthParam : 1;
  try {
    const id = params.id ?? '';
    const [pkg, graph] = [
      await services.decisions.package(ctx, id),
      await services.decisions.connections(ctx, id, depth),
    ];
    return { pkg, graph, depth, canWrite: can(actor, 'decisions:write') };
  } catch (err) {
    if (asServiceError(err)?.status === 404) throw new Response('No such decision', { status: 404 });
    throw err;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  requireCapability(context, request, 'decisions:write');
  const form = await request.formData();
  if (intentOf(form) !== 'status') return unknownIntent();
  return perform(() =>
    context.services.decisions.updateNode(context.ctx, params.id ?? '', {
      status: formString(form, 'status') as never,
    }),
  );
}

export default function DecisionPage() {
  const { pkg, graph, depth, canWrite } = useLoaderData<typeof loader>();
  const hydrated = useHydrated();
  const saving = useNavigation().state === 'submitting';
  const node = pkg.node;
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-8 px-4 py-6 sm:px-6 lg:px-8 lg:py-10">
      <Link to="/decisions" className="text-sm text-link underline-offset-4 hover:underline">
        ← All decisions
      </Link>
      <header className="flex flex-col gap-3 border-b border-border pb-5">
        <div className="flex flex-wrap items-center gap-2 text-sm text-fg-muted">
          <span>{TYPE_LABEL[node.type] ?? node.type}</span>
          <NodeBadges type="decision" status={node.status} />
          {node.class ? <span>· {node.class}</span> : null}
        </div>
        <h1 className="text-2xl font-bold tracking-tight text-fg">{node.title}</h1>
        {typeof node.metadata.email === 'string' ? (
          <a
            href={`mailto:${node.metadata.email}`}
            className="text-sm text-link underline-offset-4 hover:underline"
          >
            {node.metadata.email}
          </a>
        ) : null}
        <p className="text-sm text-fg-muted">
          Recorded {formatDate(node.createdAt)} by {node.createdBy.label || 'unknown'}
        </p>
        <div className="flex flex-wrap gap-2">
          <a href={`/decisions/${node.id}/package.md`} download className={buttonClasses('secondary', 'sm')}>
            Download as Markdown
          </a>
          {canWrite && node.type === 'decision' ? (
            <Link to={`/decisions/new?supersedes=${node.id}`} className={buttonClasses('secondary', 'sm')}>
              Record a decision that supersedes this
            </Link>
          ) : null}
        </div>
      </header>
      {node.body ? (
        <section aria-labelledby="reasoning" className="flex flex-col gap-2">
          <h2 id="reasoning" className="text-lg font-semibold text-fg">
            {node.type === 'decision' ? 'Reasoning' : 'Details'}
          </h2>
          <p className="whitespace-pre-wrap text-fg">{node.body}</p>
        </section>
      ) : null}
      <section aria-labelledby="package" className="flex flex-col gap-3">
        <h2 id="package" className="text-lg font-semibold text-fg">
          What it is linked to
        </h2>
        <PackageSections pkg={pkg} />
      </section>
      <section aria-labelledby="graph" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="graph" className="text-lg font-semibold text-fg">
            Graph
          </h2>
          <Form method="get" className="flex items-end gap-2">
            <FormField label="Depth">
              <Select name="depth" defaultValue={String(depth)}>
                <option value="1">1 step</option>
                <option value="2">2 steps</option>
                <option value="3">3 steps</option>
              </Select>
            </FormField>
            <Button type="submit" variant="secondary" size="sm">
              Show
            </Button>
          </Form>
        </div>
        {hydrated ? (
          <DecisionGraph graph={graph} />
        ) : (
          <p className="text-sm text-fg-muted">Loading the graph…</p>
        )}
        {graph.truncated ? (
          <p className="text-xs text-fg-muted">Only the nearest {graph.nodes.length} nodes are shown.</p>
        ) : null}
      </section>
      <div className="grid gap-8 md:grid-cols-2">
        <section aria-labelledby="history" className="flex flex-col gap-3">
          <h2 id="history" className="text-lg font-semibold text-fg">
            History
          </h2>
          <HistoryList history={pkg.history} />
        </section>
        {canWrite && node.status ? (
          <section aria-labelledby="status" className="flex flex-col gap-3">
            <h2 id="status" className="text-lg font-semibold text-fg">
              Status
            </h2>
            <Form method="post" className="flex items-end gap-2">
              <input type="hidden" name="intent" value="status" />
              <Select name="status" defaultValue={node.status} aria-label="Status">
                <option value="proposed">Proposed</option>
                <option value="accepted">Accepted</option>
                <option value="superseded">Superseded</option>
                <option value="rejected">Rejected</option>
              </Select>
              <Button type="submit" variant="secondary" loading={saving}>
                Change status
              </Button>
            </Form>
          </section>
        ) : null}
      </div>
    </div>
  );
}
