/**
 * Cited answers: the numbered knowledge sources saved with an answer (its `data-sources` part), the [n]
 * citations in its text turned into links to the source, and the list of sources under the answer.
 * A citation opens the item's stored original in a new tab — a PDF at its page (`#page=N`).
 */
import type { UIMessage } from 'ai';
import type { CitedSource } from '../../../api/features/chat/chat.retrieval';
import { describeLocation } from '../../../api/features/knowledge/knowledge.location';

export type { CitedSource };

/** The sources of an answer (none for answers given without attached repositories). */
export function sourcesOf(m: UIMessage): CitedSource[] {
  for (const p of m.parts) {
    if (p.type === 'data-sources') {
      const sources = (p as { data?: { sources?: unknown } }).data?.sources;
      if (Array.isArray(sources)) return sources as CitedSource[];
    }
  }
  return [];
}

export function sourceHref(s: CitedSource): string {
  const file = `/api/v1/repositories/${s.repositoryId}/items/${s.itemId}/file`;
  return s.location.page !== undefined ? `${file}#page=${s.location.page}` : file;
}

/** "[2]" of a known source becomes a Markdown link to it; other brackets stay as written. */
export function linkCitations(text: string, sources: CitedSource[]): string {
  if (sources.length === 0) return text;
  const byN = new Map(sources.map((s) => [s.n, s]));
  return text.replace(/\[(\d{1,3})\](?![(:[])/g, (whole, digits: string) => {
    const s = byN.get(Number(digits));
    return s ? `[\\[${s.n}\\]](${sourceHref(s)})` : whole;
  });
}

export function SourceList({ sources }: { sources: CitedSource[] }) {
  if (sources.length === 0) return null;
  return (
    <section aria-label="Sources" className="mt-3 rounded-lg border border-border bg-surface-muted/40 p-3">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-fg-muted">Sources</h3>
      <ol className="mt-2 space-y-1.5 text-sm">
        {sources.map((s) => {
          const where = describeLocation(s.location);
          return (
            <li key={s.n} className="min-w-0">
              <details>
                <summary className="cursor-pointer text-fg">
                  <span className="font-mono text-xs text-fg-muted">[{s.n}]</span>{' '}
                  <a
                    href={sourceHref(s)}
                    target="_blank"
                    rel="noreferrer noopener"
                    className="font-medium text-primary hover:underline"
                  >
                    {s.title}
                  </a>
                  {where ? <span className="text-fg-muted"> — {where}</span> : null}
                </summary>
                <p className="mt-1 whitespace-pre-wrap border-l-2 border-border pl-3 text-xs text-fg-muted">
                  {s.excerpt}
                </p>
              </details>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
