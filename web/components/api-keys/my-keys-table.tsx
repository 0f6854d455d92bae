/** The signed-in person's keys (never their secrets), newest first, each active one with a Revoke button. */
import { useFetcher } from '@remix-run/react';
import { ConfirmAction } from '~/components/admin/confirm-action';
import { useFormResult } from '~/components/admin/use-form-result';
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui';
import { formatDate, formatDateTime } from '~/lib/format';
import type { ApiKeyView } from '../../../api/features/api-keys/api-keys.service';
import { KeyPrefix, KeyStatusBadge, ScopeList } from './key-badges';

export function MyKeysTable({ keys }: { keys: ApiKeyView[] }) {
  return (
    <Table>
      <TableCaption className="sr-only">Your API keys</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Scopes</TableHead>
          <TableHead>Created</TableHead>
          <TableHead>Last used</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.length === 0 ? (
          <TableEmpty colSpan={7} title="No API keys yet">
            Create one below to let a script or another system use AI Studio as you.
          </TableEmpty>
        ) : (
          keys.map((k) => <KeyRow key={k.id} apiKey={k} />)
        )}
      </TableBody>
    </Table>
  );
}

function KeyRow({ apiKey: k }: { apiKey: ApiKeyView }) {
  const fetcher = useFetcher();
  const { error } = useFormResult(fetcher, { success: `Key “${k.name}” revoked` });
  return (
    <TableRow data-key-id={k.id}>
      <TableCell className="min-w-40">
        <span className="font-medium">{k.name}</span>
        <div>
          <KeyPrefix prefix={k.prefix} />
        </div>
        <div className="text-xs text-fg-muted">{k.rateLimitRpm} requests/min</div>
        {error ? <p className="text-sm text-danger-soft-fg">{error}</p> : null}
      </TableCell>
      <TableCell>
        <ScopeList scopes={k.scopes} />
      </TableCell>
      <TableCell className="whitespace-nowrap">{formatDate(k.createdAt)}</TableCell>
      <TableCell className="whitespace-nowrap text-fg-muted">
        {k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'Never'}
      </TableCell>
      <TableCell className="whitespace-nowrap text-fg-muted">
        {k.expiresAt ? formatDate(k.expiresAt) : 'Never'}
      </TableCell>
      <TableCell>
        <KeyStatusBadge status={k.status} />
      </TableCell>
      <TableCell className="text-right">
        {k.status === 'active' ? (
          <ConfirmAction
            fetcher={fetcher}
            fields={{ intent: 'revoke', id: k.id }}
            trigger={
              <>
                Revoke<span className="sr-only"> {k.name}</span>
              </>
            }
            title={`Revoke the key “${k.name}”?`}
            description={`Anything using the key starting ${k.prefix} stops working at once. This cannot be undone.`}
            confirmLabel="Revoke key"
            triggerVariant="secondary"
          />
        ) : null}
      </TableCell>
    </TableRow>
  );
}
