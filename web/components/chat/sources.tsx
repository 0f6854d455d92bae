/**
 * The sources of a cited answer, listed under it: number, title linking to the original (a PDF at its
 * page), the location, and the passage's text behind a disclosure. Helpers in citations.ts.
 */
import { describeLocation } from '../../../api/features/knowledge/knowledge.location';
import { type CitedSource, sourceHref } from './citations';

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
