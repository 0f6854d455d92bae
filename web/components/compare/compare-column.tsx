/** One model's answer in a comparison: the text as it streams, then its time-to-first-token, speed, tokens and cost. */
import { Badge } from '~/components/ui';
import { cn } from '~/lib/cn';
import { formatTokens, formatUsd } from '~/lib/format';
import type { ResultView } from '../../../api/features/compare/compare.schemas';
import { CheckIcon, CopyIcon } from '../chat/icons';
import { Markdown, useCopy } from '../chat/markdown';

export interface ColumnData {
  column: number;
  modelName: string;
  text: string;
  ttftMs: number | null;
  result: ResultView | null;
  streaming: boolean;
}

function Metric({ label, value }: { label: string; value: string }) {
  return (
    <div className="min-w-0">
      <dt className="truncate text-[11px] text-fg-muted">{label}</dt>
      <dd className="truncate font-mono text-[13px] tabular-nums text-fg" title={value}>
        {value}
      </dd>
    </div>
  );
}

export function CompareColumn({ data, fusion = false }: { data: ColumnData; fusion?: boolean }) {
  const [copied, copy] = useCopy();
  const r = data.result;
  const ttft = r?.ttftMs ?? data.ttftMs;
  const headingId = `col-${fusion ? 'fusion' : data.column}-${data.modelName.replace(/\W+/g, '-')}`;
  return (
    <section
      aria-labelledby={headingId}
      aria-busy={data.streaming}
      data-column={data.column}
      className={cn(
        'flex min-w-0 flex-col rounded-xl border bg-surface shadow-sm',
        fusion ? 'border-primary/50 ring-1 ring-primary/20' : 'border-border',
      )}
    >
      <header className="flex items-center gap-2 border-b border-border px-4 py-2.5">
        <h3 id={headingId} className="min-w-0 flex-1 truncate text-sm font-semibold text-fg">
          {fusion ? `Fused by ${data.modelName}` : data.modelName}
        </h3>
        {data.streaming ? (
          <Badge variant="primary">Streaming</Badge>
        ) : r?.status === 'failed' ? (
          <Badge variant="danger">Failed</Badge>
        ) : r?.status === 'stopped' ? (
          <Badge variant="warning">Stopped</Badge>
        ) : r ? (
          <Badge variant="success">Done</Badge>
        ) : null}
        <button
          type="button"
          onClick={() => copy(data.text)}
          disabled={!data.text}
          aria-label={copied ? 'Copied' : `Copy the answer of ${data.modelName}`}
          className="inline-flex size-8 items-center justify-center rounded-md text-fg-muted hover:bg-surface-muted hover:text-fg disabled:opacity-40"
        >
          {copied ? <CheckIcon /> : <CopyIcon />}
        </button>
      </header>
      <dl className="grid grid-cols-[repeat(auto-fit,minmax(4.25rem,1fr))] gap-x-2 gap-y-1.5 border-b border-border bg-surface-muted/50 px-4 py-2">
        <Metric label="First token" value={ttft != null ? `${ttft} ms` : '—'} />
        <Metric
          label="Speed"
          value={r?.tokensPerSecond != null ? `${Math.round(r.tokensPerSecond)} tok/s` : '—'}
        />
        <Metric label="Tokens" value={r ? formatTokens(r.inputTokens + r.outputTokens) : '—'} />
        <Metric label="Cost" value={r ? formatUsd(r.costUsd) : '—'} />
      </dl>
      <div className="min-h-32 flex-1 px-4 py-3 text-sm" data-testid="compare-answer">
        {data.text ? (
          <Markdown text={data.text} streaming={data.streaming} />
        ) : data.streaming ? (
          <p className="flex items-center gap-1.5 py-1 text-fg-muted">
            <span className="typing-dot" />
            <span className="typing-dot [animation-delay:150ms]" />
            <span className="typing-dot [animation-delay:300ms]" />
            <span className="sr-only">Waiting for the first token</span>
          </p>
        ) : null}
        {r?.status === 'failed' ? (
          <p className="mt-2 rounded-md bg-danger-soft px-3 py-2 text-danger-soft-fg">
            {r.error ?? 'The model failed.'}
          </p>
        ) : null}
      </div>
    </section>
  );
}
