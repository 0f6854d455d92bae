import { Link } from '@remix-run/react';
import type { SearchResult } from '../../../api/features/knowledge/knowledge.schemas';
import { ocrEngineLabel } from './ocr-engine';

export function citation(location: SearchResult['location']): string {
  if (location.page) return `page ${location.page}`;
  if (location.sheet) return `sheet ${location.sheet}`;
  if (location.slide) return `slide ${location.slide}`;
  return location.heading ?? '';
}

export function SearchResults({ results }: { results: Omit<SearchResult, never>[] }) {
  if (results.length === 0) return <p className="text-fg-muted">Nothing found.</p>;
  return (
    <ol className="flex flex-col gap-4" data-testid="knowledge-results">
      {results.map((r) => (
        <li key={`${r.itemId}-${r.snippet.slice(0, 20)}`} className="rounded-md border border-border p-4">
          <div className="flex flex-wrap items-baseline gap-2">
            <Link
              to={`/knowledge/${r.repositoryId}`}
              className="font-medium text-link underline-offset-4 hover:underline"
            >
              {r.title}
            </Link>
            <span className="text-sm text-fg-muted">
              {citation(r.location)}
              {r.readBy !== 'text' ? ` · read by OCR (${ocrEngineLabel(r.readBy)})` : ''}
            </span>
          </div>
          {/* The server HTML-escapes the snippet and adds only <mark> around matched terms. */}
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: escaped server-side (knowledge.search.ts markSnippet) */}
          <p className="mt-1 text-sm" dangerouslySetInnerHTML={{ __html: r.snippet }} />
        </li>
      ))}
    </ol>
  );
}
