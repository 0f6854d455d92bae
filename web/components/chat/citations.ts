/**
 * Cited answers, the pure part: the numbered sources saved with an answer (its `data-sources` part), where
 * a citation leads (the item's stored original; a PDF at its page), [n] in the answer's text as Markdown
 * links, and the composer's "still indexing" note over the attached repositories.
 */
import type { UIMessage } from 'ai';
import type { CitedSource } from '../../../api/features/chat/chat.retrieval';

export type { CitedSource };

export interface PickerRepository {
  id: string;
  name: string;
  itemCount: number;
  itemsIndexing: number;
}

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
  return text.replace(/\[(\d{1,3})\](?![(:])/g, (whole, digits: string) => {
    const s = byN.get(Number(digits));
    return s ? `[\\[${s.n}\\]](${sourceHref(s)})` : whole;
  });
}

/** "still indexing 2 of 5" over the attached repositories' items; null when all are ready. */
export function indexingNote(repositories: PickerRepository[], attached: string[]): string | null {
  const mine = repositories.filter((r) => attached.includes(r.id));
  const n = mine.reduce((sum, r) => sum + r.itemsIndexing, 0);
  const m = mine.reduce((sum, r) => sum + r.itemCount, 0);
  return n > 0 ? `Knowledge still indexing ${n} of ${m} — answers use what is ready.` : null;
}
