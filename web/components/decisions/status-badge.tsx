import { Badge } from '~/components/ui';
import { STATUS_VARIANT, TYPE_LABEL, TYPE_VARIANT } from './node-meta';

/** The node's type, and its status when it has one (text carries the meaning, colour only helps). */
export function NodeBadges({ type, status }: { type: string; status: string | null }) {
  return (
    <span className="inline-flex flex-wrap gap-1.5">
      {type !== 'decision' ? (
        <Badge variant={TYPE_VARIANT[type] ?? 'neutral'}>{TYPE_LABEL[type] ?? type}</Badge>
      ) : null}
      {status ? <Badge variant={STATUS_VARIANT[status] ?? 'neutral'}>{status}</Badge> : null}
    </span>
  );
}
