/**
 * Places a neighbourhood on rings around its root: distance 1 on the first ring, 2 on the second…, spread
 * evenly, so the picture reads "the decision and what surrounds it" without a layout library.
 */
export interface Placed {
  id: string;
  x: number;
  y: number;
}

const RING = 280;

export function radialLayout(nodes: { id: string; distance: number }[]): Placed[] {
  const rings = new Map<number, string[]>();
  for (const n of nodes) rings.set(n.distance, [...(rings.get(n.distance) ?? []), n.id]);
  const placed: Placed[] = [];
  for (const [distance, ids] of rings) {
    if (distance === 0) {
      for (const id of ids) placed.push({ id, x: 0, y: 0 });
      continue;
    }
    // Outer rings start a little rotated so their nodes do not line up behind inner ones.
    const offset = distance * 0.4;
    const radius = RING * distance + Math.max(0, ids.length - 12) * 12;
    ids.forEach((id, i) => {
      const angle = offset + (2 * Math.PI * i) / ids.length;
      placed.push({ id, x: Math.round(radius * Math.cos(angle)), y: Math.round(radius * Math.sin(angle)) });
    });
  }
  return placed;
}
