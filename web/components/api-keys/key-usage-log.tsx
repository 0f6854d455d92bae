/** One key's recent requests for the admin view: when, what, the answer's status, and how long it took. */
import {
  Badge,
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui';
import { formatDateTime } from '~/lib/format';

export interface UsageItem {
  endpoint: string;
  method: string;
  status: number;
  latencyMs: number;
  createdAt: string;
}

export function KeyUsageLog({ items, caption }: { items: UsageItem[]; caption: string }) {
  return (
    <Table>
      <TableCaption>{caption}</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>Time</TableHead>
          <TableHead>Request</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="text-right">Latency</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.length === 0 ? (
          <TableEmpty colSpan={4} title="No requests recorded">
            Requests are written every few seconds; reload to see the latest.
          </TableEmpty>
        ) : (
          items.map((u, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: log rows have no id of their own here
            <TableRow key={i}>
              <TableCell className="whitespace-nowrap text-fg-muted">{formatDateTime(u.createdAt)}</TableCell>
              <TableCell className="font-mono text-xs">
                {u.method} {u.endpoint}
              </TableCell>
              <TableCell>
                <Badge variant={u.status >= 500 ? 'danger' : u.status >= 400 ? 'warning' : 'success'}>
                  {u.status}
                </Badge>
              </TableCell>
              <TableCell className="whitespace-nowrap text-right tabular-nums">{u.latencyMs} ms</TableCell>
            </TableRow>
          ))
        )}
      </TableBody>
    </Table>
  );
}
