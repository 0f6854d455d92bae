/**
 * Cited answers (issue 12.7): before a chat turn's model call, the question is searched in the knowledge
 * repositories attached to the conversation (the knowledge service's hybrid search, access enforced in
 * SQL), and the best passages that fit the token budget (setting `knowledge.chat_token_budget`, counted
 * with gpt-tokenizer) go into the system prompt, numbered [1], [2] … The numbered sources are streamed to
 * the browser and saved with the answer as one `data-sources` part, so the citations survive a reload.
 */

import type { StoredPart } from '../../../db/schema/index';
import { can } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { countTokens } from '../../lib/token-count';
import { describeLocation, type PassageLocation } from '../knowledge/knowledge.location';
import type { KnowledgeService } from '../knowledge/knowledge.service';
import type { SettingsService } from '../settings/settings.service';
import { textOfParts } from './messages.repo';

export const SOURCES_PART = 'data-sources';
export const DEFAULT_CHAT_TOKEN_BUDGET = 3000;
/** Candidates fetched for the budget to choose from (search answers at most 50). */
const CANDIDATES = 20;
/** The text of a source kept with the answer for the reader (the model receives the whole passage). */
const EXCERPT_CHARS = 600;

export interface CitedSource {
  /** The number the answer cites: [n]. */
  n: number;
  repositoryId: string;
  itemId: string;
  title: string;
  location: PassageLocation;
  excerpt: string;
}

export interface Retrieval {
  sources: CitedSource[];
  /** The block added to the system prompt (empty when nothing was found). */
  context: string;
  tokens: number;
}

export const RETRIEVAL_INSTRUCTIONS =
  'Answer from the numbered sources below when they are relevant. Cite each source you use with its number in square brackets, e.g. [1], right after the statement it supports. Cite only these numbers. If the sources do not contain the answer, say so and answer from general knowledge only when that is clearly useful.';

export class ChatRetrieval {
  constructor(
    private readonly deps: {
      knowledge: Pick<KnowledgeService, 'search' | 'requireReadable'>;
      settings: Pick<SettingsService, 'getNumber'>;
    },
  ) {}

  /** 404 (field `repositoryIds`) unless the person may read every one of them. */
  async assertReadable(ctx: Ctx, repositoryIds: string[]): Promise<void> {
    if (repositoryIds.length) await this.deps.knowledge.requireReadable(ctx, repositoryIds, 'repositoryIds');
  }

  /**
   * The passages for this question, numbered in rank order, within the token budget: from the attached
   * repositories and the chat's private ones (its large attachments, read with the conversation).
   */
  async retrieve(ctx: Ctx, attached: string[], question: string, own: string[]): Promise<Retrieval> {
    const q = anyOfWords(question);
    const repositoryIds = [...new Set([...attached, ...own])];
    // Someone who lost knowledge:use keeps chatting; their attached repositories are no longer searched.
    if (repositoryIds.length === 0 || q === '' || !can(ctx.actor, 'knowledge:use'))
      return { sources: [], context: '', tokens: 0 };
    const [budget, results] = await Promise.all([
      this.deps.settings.getNumber(ctx, 'knowledge.chat_token_budget', DEFAULT_CHAT_TOKEN_BUDGET),
      this.deps.knowledge.search(ctx, { q, limit: CANDIDATES, repositoryIds }),
    ]);
    const sources: CitedSource[] = [];
    const blocks: string[] = [];
    let tokens = countTokens(RETRIEVAL_INSTRUCTIONS);
    for (const r of results) {
      const n = sources.length + 1;
      const where = describeLocation(r.location);
      const block = `[${n}] ${r.title}${where ? ` (${where})` : ''}\n${r.text.trim()}`;
      const cost = countTokens(block) + 2;
      if (tokens + cost > budget) continue; // a shorter passage further down may still fit
      tokens += cost;
      blocks.push(block);
      sources.push({
        n,
        repositoryId: r.repositoryId,
        itemId: r.itemId,
        title: r.title,
        location: r.location,
        excerpt: r.text.trim().slice(0, EXCERPT_CHARS),
      });
    }
    if (sources.length === 0) return { sources: [], context: '', tokens: 0 };
    return { sources, context: `${RETRIEVAL_INSTRUCTIONS}\n\n${blocks.join('\n\n')}`, tokens };
  }
}

/**
 * A question as a full-text query matching ANY of its words ("when does the library open" → "when or does
 * or library or open"): websearch_to_tsquery alone requires every word, which a question in natural
 * language rarely satisfies. Stop words fall away in the repository's language; ranking prefers passages
 * matching more of them.
 */
export function anyOfWords(question: string): string {
  const words = question.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
  let q = '';
  for (const w of words) {
    const next = q ? `${q} or ${w}` : w;
    if (next.length > 500) break;
    q = next;
  }
  return q;
}

/** The stored (and streamed) part that carries an answer's sources. */
export const sourcesPart = (sources: CitedSource[]): StoredPart => ({
  type: SOURCES_PART,
  data: { sources },
});

/** The question of the turn: the text of the last user message on the branch. */
export function questionOf(history: { role: string; parts: StoredPart[] }[]): string {
  const last = [...history].reverse().find((m) => m.role === 'user');
  return last ? textOfParts(last.parts) : '';
}
