/**
 * Reciprocal rank fusion (Cormack et al., 2009): each ranked list contributes 1 / (k + rank) to an item's
 * score, rank starting at 1. Items missing from a list get nothing from it. Used by knowledge search and the
 * decision log to fuse vector and full-text results without comparing their incomparable raw scores.
 */
export const RRF_K = 60;

export interface Fused<T> {
  item: T;
  score: number;
  /** 1-based rank in each input list (undefined where the item was absent). */
  ranks: (number | undefined)[];
}

export function reciprocalRankFusion<T>(
  lists: readonly (readonly T[])[],
  key: (item: T) => string,
  k = RRF_K,
): Fused<T>[] {
  const byKey = new Map<string, Fused<T>>();
  lists.forEach((list, listIndex) => {
    list.forEach((item, index) => {
      const id = key(item);
      let entry = byKey.get(id);
      if (!entry) {
        entry = { item, score: 0, ranks: lists.map(() => undefined) };
        byKey.set(id, entry);
      }
      entry.score += 1 / (k + index + 1);
      entry.ranks[listIndex] = index + 1;
    });
  });
  return [...byKey.values()].sort((a, b) => b.score - a.score);
}
