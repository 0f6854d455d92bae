/** How comparisons read: result and summary views, a title from the prompt, the fusion prompt. */
import type { ComparisonRow, ResultRow } from './compare.repo';
import type { ComparisonSummary, ResultView } from './compare.schemas';

export function toResultView(r: ResultRow): ResultView {
  return {
    id: r.id,
    kind: r.kind,
    column: r.column,
    modelId: r.modelId,
    modelName: r.modelName,
    text: r.text,
    status: r.status === 'streaming' ? 'failed' : r.status,
    error: r.error,
    ttftMs: r.ttftMs,
    durationMs: r.durationMs,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    tokensPerSecond: r.tokensPerSecond === null ? null : Number(r.tokensPerSecond),
    costUsd: r.costUsd,
  };
}

/** A short title from the prompt's first line. */
export function titleFromPrompt(prompt: string): string {
  const line = prompt.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  return line.length > 80 ? `${line.slice(0, 77).trimEnd()}…` : line;
}

export function fusionPrompt(prompt: string, answers: Array<{ modelName: string; text: string }>): string {
  const blocks = answers
    .map((a, i) => `### Answer ${i + 1} (${a.modelName})\n\n${a.text.trim()}`)
    .join('\n\n');
  return [
    'Several AI models answered the same request. Merge their answers into one answer that keeps what is',
    'correct and useful from each, resolves disagreements (say so where they could not be resolved), and',
    'drops repetition. Answer the request directly; do not describe the individual answers.',
    '',
    `## Request\n\n${prompt}`,
    '',
    `## Answers\n\n${blocks}`,
  ].join('\n');
}

export function toSummary(row: ComparisonRow): ComparisonSummary {
  return {
    id: row.id,
    title: row.title,
    models: row.modelIds.map((modelId, column) => ({
      column,
      modelId,
      modelName: row.modelNames[column] ?? 'Model',
    })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
