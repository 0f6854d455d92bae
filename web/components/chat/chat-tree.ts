/** A conversation's message tree as the loader sends it: branch navigation (edit, regenerate, versions). */

export interface TreeMessage {
  id: string;
  parentId: string | null;
  createdAt: string;
}

/** The newest leaf under a message: where "show version 2" lands. */
export function leafOf(tree: TreeMessage[], id: string): string {
  let current = id;
  for (;;) {
    const children = tree.filter((m) => m.parentId === current);
    if (children.length === 0) return current;
    children.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    current = children.at(-1)!.id;
  }
}
