/**
 * The built-in "lexical" embedder: no network, no model download, deterministic. It hashes words, word
 * bigrams and character trigrams (feature hashing with a sign bit) into a fixed number of dimensions and
 * L2-normalises the result, so cosine similarity approximates weighted term overlap. It finds documents
 * that share words or word fragments with the query; it does NOT find paraphrases (that needs a provider
 * embedding model). The UI labels it "lexical".
 */

export const LEXICAL_EMBEDDER_ID = 'lexical';
export const LEXICAL_DIMENSIONS = 384;

/** FNV-1a over UTF-16 code units: fast, stable across processes and releases (never change it). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Lower-cased, accent-folded word tokens (letters and digits of any script). */
export function lexicalTokens(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

function add(vector: Float64Array, feature: string, weight: number): void {
  const hash = fnv1a(feature);
  const index = hash % vector.length;
  vector[index] = (vector[index] ?? 0) + (hash & 0x80000000 ? -weight : weight);
}

/** One text → one unit vector of `dimensions` numbers (all zeros for a text without words). */
export function embedLexical(text: string, dimensions = LEXICAL_DIMENSIONS): number[] {
  const vector = new Float64Array(dimensions);
  const tokens = lexicalTokens(text);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    add(vector, `w:${token}`, 1);
    if (i > 0) add(vector, `b:${tokens[i - 1]}_${token}`, 0.5);
    const padded = `_${token}_`;
    for (let j = 0; j + 3 <= padded.length; j++) add(vector, `c:${padded.slice(j, j + 3)}`, 0.25);
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  return Array.from(vector, (v) => (norm === 0 ? 0 : v / norm));
}
