/**
 * /admin/audit: the audit trail, newest first, filtered by actor, action and date range (UTC days), paged
 * with an "older" cursor, and exported as CSV through the REST route with the same filters.
 */
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { PageHeader } from '~/components/admin/page-header';
import {
  Alert,
  Button,
  buttonClasses,
  FormField,
  Input,
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui';
import { requireCapability } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/format';
import { pageTitle } from '~/lib/root-data';
import { AUDIT_ACTIONS } from '../../api/features/audit/audit-actions';
import { describeDetails } from '../../api/features/audit/changes';
import { isUuid } from '../../api/lib/ids';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Audit log');

const PAGE_SIZE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Start (or end) of a UTC day given as YYYY-MM-DD; null when blank or not a real date. */
function dayBound(value: string, end: boolean): Date | null {
  if (!DAY.test(value)) return null;
  const d = new Date(`${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireCapability(context, request, 'admin:audit');
  const { services, ctx } = context;
  const url = new URL(request.url);
  const actor = url.searchParams.get('actor')?.trim().slice(0, 254) ?? '';
  const action = url.searchParams.get('action')?.trim().slice(0, 100) ?? '';
  const from = url.searchParams.get('from')?.trim() ?? '';
  const to = url.searchParams.get('to')?.trim() ?? '';
  const before = Number.parseInt(url.searchParams.get('before') ?? '', 10);

  const problems: Record<string, string> = {};
  // The actor filter takes an e-mail address (what an admin knows) or a user id.
  let actorId: string | undefined;
  if (actor) {
    if (isUuid(actor)) actorId = actor.toLowerCase();
    else {
      const user = await services.users.findByEmail(ctx, actor);
      if (user) actorId = user.id;
      else problems.actor = 'No user has this e-mail address';
    }
  }
  const fromDate = from ? dayBound(from, false) : null;
  const toDate = to ? dayBound(to, true) : null;
  if (from && !fromDate) problems.from = 'Enter a date';
  if (to && !toDate) problems.to = 'Enter a date';
  if (fromDate && toDate && fromDate > toDate) problems.to = 'Must be on or after the start date';

  const filter = {
    actorId,
    action: action || undefined,
    from: fromDate ?? undefined,
    to: toDate ?? undefined,
  };
  const rows = Object.keys(problems).length
    ? []
    : await services.audit.list(ctx, {
        ...filter,
        beforeId: Number.isFinite(before) && before > 0 ? before : undefined,
        limit: PAGE_SIZE + 1,
      });
  const page = rows.slice(0, PAGE_SIZE);
  // Names for the people events are about (a page holds at most PAGE_SIZE distinct ids).
  const targetUserIds = [
    ...new Set(page.flatMap((e) => (e.targetType === 'user' && e.targetId ? [e.targetId] : []))),
  ];
  const labels = await services.users.labels(ctx, targetUserIds);
  const names = new Map(
    targetUserIds.map((id) => [id, labels.get(id)?.name || labels.get(id)?.email || null]),
  );

  const csv = new URLSearchParams();
  if (actorId) csv.set('actor', actorId);
  if (filter.action) csv.set('action', filter.action);
  if (fromDate) csv.set('from', fromDate.toISOString());
  if (toDate) csv.set('to', toDate.toISOString());
  const older = new URLSearchParams(url.searchParams);
  if (rows.length > PAGE_SIZE) older.set('before', String(page.at(-1)!.id));
  const newest = new URLSearchParams(url.searchParams);
  newest.delete('before');

  return {
    events: page.map((e) => ({
      id: e.id,
      createdAt: e.createdAt.toISOString(),
      actorId: e.actorId,
      actorLabel: e.actorLabel ?? e.actorType,
      actorType: e.actorType,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      targetLabel: e.targetType === 'user' && e.targetId ? (names.get(e.targetId) ?? null) : null,
      details: describeDetails(e.details as Record<string, unknown>),
      ip: e.ip,
    })),
    filters: { actor, action, from, to },
    problems,
    paged: Number.isFinite(before) && before > 0,
    olderHref: rows.length > PAGE_SIZE ? `?${older.toString()}` : null,
    newestHref: `?${newest.toString()}`,
    csvHref: `/api/admin/audit.csv${csv.size ? `?${csv.toString()}` : ''}`,
  };
}

export default function AdminAudit() {
  const { events, filters, problems, paged, olderHref, newestHref, csvHref } = useLoaderData<typeof loader>();
  const loading = useNavigation().state === 'loading';
  const hasProblems = Object.keys(problems).length > 0;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every administrative change and every sign-in, newest first. Times are in UTC."
        actions={
          <a href={csvHref} className={buttonClasses('secondary', 'md')} download>
            Export CSV
          </a>
        }
      />
      <Form
        method="get"
        role="search"
        aria-label="Filter the audit log"
        className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_10rem_10rem_auto] lg:items-start"
      >
        <FormField label="Actor" hint="E-mail address or user id" error={problems.actor}>
          <Input name="actor" type="search" defaultValue={filters.actor} autoComplete="off" />
        </FormField>
        <FormField label="Action" hint="For example users.update">
          <Input
            name="action"
            type="search"
            list="audit-actions"
            defaultValue={filters.action}
            autoComplete="off"
          />
        </FormField>
        <datalist id="audit-actions">
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <FormField label="From" hint="UTC day" error={problems.from}>
          <Input name="from" type="date" defaultValue={filters.from} />
        </FormField>
        <FormField label="To" hint="UTC day" error={problems.to}>
          <Input name="to" type="date" defaultValue={filters.to} />
        </FormField>
        <div className="flex gap-2 lg:mt-[3.25rem]">
          <Button type="submit" loading={loading}>
            Filter
          </Button>
          {filters.actor || filters.action || filters.from || filters.to ? (
            <Button asChild variant="ghost">
              <Link to=".">Clear</Link>
            </Button>
          ) : null}
        </div>
      </Form>
      {hasProblems ? <Alert variant="warning">Fix the filters above to see events.</Alert> : null}
      <Table>
        <TableCaption>
          {paged ? 'Older audit events' : 'Latest audit events'} ({events.length} shown)
        </TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>When</TableHead>
            <TableHead>Actor</TableHead>
            <TableHead>Action</TableHead>
            <TableHead>Target</TableHead>
            <TableHead>Details</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {events.length === 0 ? (
            <TableEmpty colSpan={5} title="No events match">
              Widen the date range or clear the filters.
            </TableEmpty>
          ) : (
            events.map((e) => (
              <TableRow key={e.id}>
                <TableCell className="whitespace-nowrap align-top text-fg-muted">
                  {formatDateTime(e.createdAt)}
                </TableCell>
                <TableCell className="whitespace-nowrap align-top">
                  {e.actorId ? (
                    <Link
                      to={`/admin/users/${e.actorId}`}
                      className="text-link underline-offset-4 hover:underline"
                    >
                      {e.actorLabel}
                    </Link>
                  ) : (
                    <span>{e.actorLabel}</span>
                  )}
                  {e.ip ? <div className="font-mono text-xs text-fg-muted">{e.ip}</div> : null}
                </TableCell>
                <TableCell className="align-top font-mono text-xs">{e.action}</TableCell>
                <TableCell className="align-top text-xs">
                  {e.targetType === 'user' && e.targetId ? (
                    <Link
                      to={`/admin/users/${e.targetId}`}
                      className="text-link underline-offset-4 hover:underline"
                    >
                      {e.targetLabel ?? `user ${e.targetId.slice(0, 8)}`}
                    </Link>
                  ) : e.targetType ? (
                    <span>
                      {e.targetType} <span className="font-mono">{e.targetId}</span>
                    </span>
                  ) : (
                    '—'
                  )}
                </TableCell>
                <TableCell className="align-top">
                  <ul className="max-w-md space-y-0.5 break-words font-mono text-xs text-fg-muted">
                    {e.details.map((d) => (
                      <li key={d}>{d}</li>
                    ))}
                  </ul>
                </TableCell>
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
      <nav aria-label="Audit log pages" className="flex gap-2">
        {paged ? (
          <Link to={newestHref} className={buttonClasses('secondary', 'sm')}>
            Newest events
          </Link>
        ) : null}
        {olderHref ? (
          <Link to={olderHref} className={buttonClasses('secondary', 'sm')}>
            Older events
          </Link>
        ) : null}
      </nav>
    </>
  );
}
