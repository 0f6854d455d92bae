/**
 * /admin/api-keys (admin:users): every API key with its owner, scopes, last use and the last day's
 * requests; revoke any of them; open one key's recent request log (`?usage=<id>`, a plain link so it works
 * without JavaScript). Pages by cursor, newest first. Inside the admin console's frame.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useFetcher, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { ConfirmAction } from '~/components/admin/confirm-action';
import { PageHeader } from '~/components/admin/page-header';
import { useFormResult } from '~/components/admin/use-form-result';
import { KeyPrefix, KeyStatusBadge, ScopeList } from '~/components/api-keys/key-badges';
import { KeyUsageLog, type UsageItem } from '~/components/api-keys/key-usage-log';
import {
  Button,
  FormField,
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
import { formString, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { asServiceError, requireCapability } from '~/lib/auth.server';
import { formatDateTime, formatNumber } from '~/lib/format';
import { pageTitle } from '~/lib/root-data';
import type { AdminApiKeyView } from '../../api/features/api-keys/api-keys.service';
import { isUuid } from '../../api/lib/ids';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'API keys');

const PAGE_SIZE = 50;
const STATUSES = ['active', 'revoked', 'expired'] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireCapability(context, request, 'admin:users');
  const { services, ctx } = context;
  const url = new URL(request.url);
  const statusParam = url.searchParams.get('status') ?? '';
  const status = STATUSES.find((s) => s === statusParam);
  const userParam = url.searchParams.get('userId') ?? '';
  const userId = isUuid(userParam) ? userParam : undefined;
  const cursor = url.searchParams.get('cursor')?.slice(0, 500) || undefined;
  const usageId = url.searchParams.get('usage') ?? '';
  const list = (after?: string) =>
    services.apiKeys.adminList(ctx, { status, userId, cursor: after, limit: PAGE_SIZE });
  // A stale or hand-edited cursor is not worth an error page: show the first page instead.
  const page = await list(cursor).catch((err) => {
    if (cursor && asServiceError(err)?.status === 422) return list();
    throw err;
  });
  const usage = isUuid(usageId)
    ? await services.apiKeys.adminUsage(ctx, usageId, { limit: 20 }).catch((err) => {
        if (asServiceError(err)?.status === 404) return null;
        throw err;
      })
    : null;
  return {
    keys: page.items,
    nextCursor: page.nextCursor,
    filters: { status: status ?? '', userId: userId ?? '', paged: Boolean(cursor) },
    usage: usage ? { keyId: usageId, items: usage.items } : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireCapability(context, request, 'admin:users');
  const { services, ctx } = context;
  const form = await request.formData();
  if (intentOf(form) !== 'revoke') return unknownIntent();
  return perform(() => services.apiKeys.adminRevoke(ctx, formString(form, 'id')));
}

export default function AdminApiKeys() {
  const { keys, nextCursor, filters, usage } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const loading = useNavigation().state === 'loading';
  const withParams = (change: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(change)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    const q = next.toString();
    return q ? `?${q}` : '.';
  };
  const owner = filters.userId ? keys[0]?.owner : undefined;
  return (
    <>
      <PageHeader
        title="API keys"
        description="Every personal API key, who owns it, what it may do and how it was used in the last 24 hours. Revoking a key stops it at once; its owner can create a new one."
      />
      <Form
        method="get"
        role="search"
        aria-label="Filter API keys"
        className="flex flex-wrap items-end gap-3"
      >
        {filters.userId ? <input type="hidden" name="userId" value={filters.userId} /> : null}
        <FormField label="Status" className="w-44">
          <Select name="status" defaultValue={filters.status}>
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="revoked">Revoked</option>
            <option value="expired">Expired</option>
          </Select>
        </FormField>
        <Button type="submit" loading={loading}>
          Show
        </Button>
        {filters.userId ? (
          <p className="text-sm text-fg-muted">
            Keys of {owner ? owner.name || owner.email : 'one person'} ·{' '}
            <Link to={withParams({ userId: null, cursor: null })} className="text-link underline">
              everyone's keys
            </Link>
          </p>
        ) : null}
      </Form>
      <Table>
        <TableCaption>
          {filters.status ? `${filters.status[0]!.toUpperCase()}${filters.status.slice(1)} keys` : 'All keys'}
          , newest first{filters.paged ? ' (a later page)' : ''}
        </TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>Owner</TableHead>
            <TableHead>Key</TableHead>
            <TableHead>Scopes</TableHead>
            <TableHead>Last used</TableHead>
            <TableHead>Last 24 h</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {keys.length === 0 ? (
            <TableEmpty colSpan={7} title="No API keys match">
              People with the “api:keys” capability create keys on their profile.
            </TableEmpty>
          ) : (
            keys.flatMap((k) => {
              const open = usage?.keyId === k.id;
              const rows = [
                <AdminKeyRow
                  key={k.id}
                  apiKey={k}
                  open={open}
                  toggleHref={withParams({ usage: open ? null : k.id })}
                />,
              ];
              if (open && usage)
                rows.push(
                  <tr key={`${k.id}-usage`} id={`usage-${k.id}`}>
                    <td colSpan={7} className="bg-surface-muted/60 px-4 py-4">
                      <KeyUsageLog
                        items={usage.items as UsageItem[]}
                        caption={`Latest requests with “${k.name}” (${k.prefix}…)`}
                      />
                    </td>
                  </tr>,
                );
              return rows;
            })
          )}
        </TableBody>
      </Table>
      {filters.paged || nextCursor ? (
        <nav aria-label="Pages" className="flex gap-3">
          {filters.paged ? (
            <Button asChild variant="secondary">
              <Link to={withParams({ cursor: null, usage: null })}>First page</Link>
            </Button>
          ) : null}
          {nextCursor ? (
            <Button asChild variant="secondary">
              <Link to={withParams({ cursor: nextCursor, usage: null })}>Next page</Link>
            </Button>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

function AdminKeyRow({
  apiKey: k,
  open,
  toggleHref,
}: {
  apiKey: AdminApiKeyView;
  open: boolean;
  toggleHref: string;
}) {
  const fetcher = useFetcher();
  const { error } = useFormResult(fetcher, { success: `Key “${k.name}” revoked` });
  const who = k.owner.name || k.owner.email;
  return (
    <TableRow data-key-id={k.id}>
      <TableCell>
        <Link
          to={`/admin/users/${k.owner.id}`}
          className="font-medium text-link underline-offset-4 hover:underline"
        >
          {who}
        </Link>
        {k.owner.name ? <div className="text-xs text-fg-muted">{k.owner.email}</div> : null}
      </TableCell>
      <TableCell className="min-w-40">
        <span className="font-medium">{k.name}</span>
        <div>
          <KeyPrefix prefix={k.prefix} />
        </div>
        {error ? <p className="text-sm text-danger-soft-fg">{error}</p> : null}
      </TableCell>
      <TableCell>
        <ScopeList scopes={k.scopes} />
      </TableCell>
      <TableCell className="whitespace-nowrap text-fg-muted">
        {k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'Never'}
      </TableCell>
      <TableCell className="whitespace-nowrap tabular-nums">
        {formatNumber(k.usage24h.requests)} {k.usage24h.requests === 1 ? 'request' : 'requests'}
        {k.usage24h.errors ? (
          <div className="text-xs text-warning-soft-fg">{formatNumber(k.usage24h.errors)} failed</div>
        ) : null}
      </TableCell>
      <TableCell>
        <KeyStatusBadge status={k.status} />
      </TableCell>
      <TableCell>
        <div className="flex justify-end gap-2">
          <Button asChild variant="ghost" size="sm">
            <Link
              to={toggleHref}
              preventScrollReset
              aria-expanded={open}
              aria-controls={open ? `usage-${k.id}` : undefined}
            >
              {open ? 'Hide requests' : 'Requests'}
              <span className="sr-only"> of {k.name}</span>
            </Link>
          </Button>
          {k.status === 'active' ? (
            <ConfirmAction
              fetcher={fetcher}
              fields={{ intent: 'revoke', id: k.id }}
              trigger={
                <>
                  Revoke<span className="sr-only"> {k.name}</span>
                </>
              }
              title={`Revoke “${k.name}” of ${who}?`}
              description={`Anything using the key starting ${k.prefix} stops working at once. This cannot be undone; ${who} can create a new key.`}
              confirmLabel="Revoke key"
              triggerVariant="secondary"
            />
          ) : null}
        </div>
      </TableCell>
    </TableRow>
  );
}
