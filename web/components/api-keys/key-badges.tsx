/** Small views of a key shared by the profile and admin pages: its status and its scopes. */
import { Badge, type BadgeVariant } from '~/components/ui';

export type KeyStatus = 'active' | 'revoked' | 'expired';

const STATUS: Record<KeyStatus, { label: string; variant: BadgeVariant }> = {
  active: { label: 'Active', variant: 'success' },
  revoked: { label: 'Revoked', variant: 'neutral' },
  expired: { label: 'Expired', variant: 'warning' },
};

export function KeyStatusBadge({ status }: { status: KeyStatus }) {
  const { label, variant } = STATUS[status];
  return <Badge variant={variant}>{label}</Badge>;
}

export function ScopeList({ scopes }: { scopes: string[] }) {
  if (scopes.includes('*'))
    return (
      <Badge variant="primary" className="whitespace-nowrap">
        All scopes (*)
      </Badge>
    );
  return (
    <ul className="flex max-w-64 flex-wrap gap-1" aria-label="Scopes">
      {scopes.map((s) => (
        <li key={s}>
          <Badge className="whitespace-nowrap font-mono">{s}</Badge>
        </li>
      ))}
    </ul>
  );
}

/** The visible start of a key: enough to recognise it, never enough to use it. */
export function KeyPrefix({ prefix }: { prefix: string }) {
  return <span className="whitespace-nowrap font-mono text-xs text-fg-muted">{prefix}…</span>;
}
