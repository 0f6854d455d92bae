/**
 * An OAuth client's status as a badge, and the one button that changes it: Disable (behind a confirmation:
 * its tokens stop at once), Enable, or Approve for a self-registered client waiting for an administrator.
 */
import { useFetcher } from '@remix-run/react';
import { ConfirmAction } from '~/components/admin/confirm-action';
import { useFormResult } from '~/components/admin/use-form-result';
import { Badge, type BadgeVariant, Button } from '~/components/ui';

type Status = 'active' | 'disabled' | 'pending';

const STATUS: Record<Status, { label: string; variant: BadgeVariant }> = {
  active: { label: 'Active', variant: 'success' },
  disabled: { label: 'Disabled', variant: 'neutral' },
  pending: { label: 'Waiting for approval', variant: 'warning' },
};

export function ClientStatusBadge({ status }: { status: Status }) {
  const { label, variant } = STATUS[status];
  return <Badge variant={variant}>{label}</Badge>;
}

export function ClientStatusButton({ client }: { client: { id: string; name: string; status: Status } }) {
  const fetcher = useFetcher();
  const { error } = useFormResult(fetcher, {
    success: (data) => {
      const status = (data as { status?: Status } | null)?.status;
      return status ? `“${client.name}” is now ${STATUS[status].label.toLowerCase()}` : null;
    },
  });
  const name = <span className="sr-only"> {client.name}</span>;
  const button =
    client.status === 'active' ? (
      <ConfirmAction
        fetcher={fetcher}
        fields={{ intent: 'disable', id: client.id }}
        trigger={<>Disable{name}</>}
        title={`Disable “${client.name}”?`}
        description="Its access and refresh tokens stop working at once and nobody can connect it until you enable it again."
        confirmLabel="Disable client"
        triggerVariant="secondary"
      />
    ) : (
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value={client.status === 'pending' ? 'approve' : 'enable'} />
        <input type="hidden" name="id" value={client.id} />
        <Button type="submit" size="sm" variant="secondary" loading={fetcher.state !== 'idle'}>
          {client.status === 'pending' ? 'Approve' : 'Enable'}
          {name}
        </Button>
      </fetcher.Form>
    );
  return (
    <div className="flex flex-col items-end gap-1">
      {button}
      {error ? <p className="text-sm text-danger-soft-fg">{error}</p> : null}
    </div>
  );
}
