import { Form } from '@remix-run/react';
import {
  Badge,
  type BadgeVariant,
  Button,
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui';
import type { ItemView } from '../../../api/features/knowledge/knowledge.schemas';
import { ocrEngineLabel } from './ocr-engine';

const STATUS_VARIANT: Record<ItemView['status'], BadgeVariant> = {
  queued: 'neutral',
  processing: 'warning',
  ready: 'success',
  failed: 'danger',
};

/** "OCR 2 of 5", "embedding 40 of 120", "extracting" … */
export function stageText(item: ItemView): string {
  const label = item.stage === 'ocr' ? 'OCR' : item.stage;
  if (item.status !== 'processing') return item.status;
  return item.progress.total > 0 ? `${label} ${item.progress.done} of ${item.progress.total}` : label;
}

function readSummary(item: ItemView): string | null {
  const s = item.stats as { pages?: number; ocrPages?: number; ocrEngine?: string; chunks?: number };
  const parts: string[] = [];
  if (s.pages) parts.push(`${s.pages} page${s.pages === 1 ? '' : 's'}`);
  if (s.ocrPages) parts.push(`${s.ocrPages} read by OCR (${ocrEngineLabel(s.ocrEngine ?? 'tesseract')})`);
  if (s.chunks) parts.push(`${s.chunks} passage${s.chunks === 1 ? '' : 's'}`);
  return parts.length ? parts.join(' · ') : null;
}

export function ItemsTable({
  items,
  canManage,
  busy,
}: {
  items: ItemView[];
  canManage: boolean;
  busy: boolean;
}) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead scope="col">Source</TableHead>
          <TableHead scope="col">Status</TableHead>
          {canManage ? <TableHead scope="col">Actions</TableHead> : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.length === 0 ? (
          <TableEmpty colSpan={canManage ? 3 : 2} title="Nothing here yet">
            Add a file, a web page or some text.
          </TableEmpty>
        ) : (
          items.map((item) => (
            <TableRow key={item.id} data-testid="knowledge-item" data-status={item.status}>
              <TableCell>
                <div className="font-medium">{item.title}</div>
                <div className="text-sm text-fg-muted">
                  {item.sourceUrl ?? item.mediaType ?? item.sourceKind}
                  {readSummary(item) ? ` · ${readSummary(item)}` : ''}
                </div>
                {item.error ? <div className="text-sm text-danger">{item.error}</div> : null}
              </TableCell>
              <TableCell>
                <Badge variant={STATUS_VARIANT[item.status]}>{stageText(item)}</Badge>
              </TableCell>
              {canManage ? (
                <TableCell>
                  <Form method="post" className="flex gap-2">
                    <input type="hidden" name="itemId" value={item.id} />
                    <Button
                      type="submit"
                      name="intent"
                      value="reindex"
                      size="sm"
                      variant="secondary"
                      disabled={busy}
                    >
                      {item.status === 'failed' ? 'Retry' : 'Re-index'}
                    </Button>
                    <Button
                      type="submit"
                      name="intent"
                      value="remove"
                      size="sm"
                      variant="ghost"
                      disabled={busy}
                    >
                      Remove
                    </Button>
                  </Form>
                </TableCell>
              ) : null}
            </TableRow>
          ))
        )}
      </TableBody>
    </Table>
  );
}
