import { Link } from '@remix-run/react';
import {
  Badge,
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui';
import type { RepositoryView } from '../../../api/features/knowledge/knowledge.schemas';

const VISIBILITY: Record<RepositoryView['visibility'], string> = {
  private: 'Private',
  roles: 'Shared with roles',
  users: 'Shared with people',
  everyone: 'Everyone',
};

export function RepositoryList({ repositories }: { repositories: RepositoryView[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead scope="col">Name</TableHead>
          <TableHead scope="col">Access</TableHead>
          <TableHead scope="col">Embedder</TableHead>
          <TableHead scope="col">Items</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {repositories.length === 0 ? (
          <TableEmpty colSpan={4} title="No repositories yet">
            Create one, or ask a colleague to share theirs.
          </TableEmpty>
        ) : (
          repositories.map((r) => (
            <TableRow key={r.id}>
              <TableCell>
                <Link
                  to={`/knowledge/${r.id}`}
                  className="font-medium text-link underline-offset-4 hover:underline"
                >
                  {r.name}
                </Link>
                {r.description ? <div className="text-sm text-fg-muted">{r.description}</div> : null}
              </TableCell>
              <TableCell>
                <Badge variant={r.visibility === 'private' ? 'neutral' : 'primary'}>
                  {VISIBILITY[r.visibility]}
                </Badge>
              </TableCell>
              <TableCell>{r.embeddingModel.name}</TableCell>
              <TableCell>{r.itemCount}</TableCell>
            </TableRow>
          ))
        )}
      </TableBody>
    </Table>
  );
}
