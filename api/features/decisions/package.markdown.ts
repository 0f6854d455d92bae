/**
 * The decision package as a readable Markdown document (for `Accept: text/markdown` and the UI download):
 * what a board secretary would paste into minutes. User text is escaped so it cannot add headings, links
 * or HTML of its own.
 */
import type { DecisionPackageView, GraphNodeView } from './graph.schemas';

/** Inline text: Markdown punctuation and HTML brackets escaped, line breaks folded. */
export const mdInline = (text: string) => text.replace(/\s+/g, ' ').replace(/([\\`*_[\]<>#|!~])/g, '\\$1');

/** A paragraph: each line escaped, blank lines kept. */
const mdBlock = (text: string) =>
  text
    .split('\n')
    .map((line) => mdInline(line))
    .join('  \n');

const day = (iso: string) => iso.slice(0, 10);

function item(node: GraphNodeView, extra?: string): string {
  const email = typeof node.metadata.email === 'string' ? ` (${mdInline(node.metadata.email)})` : '';
  const body = node.type !== 'person' && node.body ? ` — ${mdInline(node.body)}` : '';
  return `- ${mdInline(node.title)}${email}${body}${extra ? ` _${mdInline(extra)}_` : ''}`;
}

function section(title: string, nodes: GraphNodeView[], extra?: (n: GraphNodeView) => string): string[] {
  if (!nodes.length) return [];
  return [`## ${title}`, '', ...nodes.map((n) => item(n, extra?.(n))), ''];
}

export function renderPackageMarkdown(pkg: DecisionPackageView): string {
  const { node } = pkg;
  const facts = [
    `- **Type:** ${node.type}`,
    node.status ? `- **Status:** ${node.status}` : null,
    node.class ? `- **Class:** ${mdInline(node.class)}` : null,
    pkg.decidedBy.length
      ? `- **Decided by:** ${pkg.decidedBy.map((p) => mdInline(p.title)).join(', ')}`
      : null,
    `- **Recorded:** ${day(node.createdAt)} by ${mdInline(node.createdBy.label || 'unknown')}`,
    `- **Id:** \`${node.id}\``,
  ].filter((l): l is string => l !== null);
  const lines = [
    `# ${mdInline(node.title)}`,
    '',
    ...facts,
    '',
    ...(node.body
      ? [node.type === 'decision' ? '## Reasoning' : '## Details', '', mdBlock(node.body), '']
      : []),
    ...section('Evidence', pkg.evidence),
    ...section('Constraints', pkg.constraints),
    ...section('Conditions', pkg.conditions),
    ...section('Alternatives considered', pkg.alternatives),
    ...section('Consulted', pkg.consulted),
    ...section('Notified', pkg.notified),
    ...section('Supersedes', pkg.supersedes, (n) => day(n.createdAt)),
    ...section('Superseded by', pkg.supersededBy, (n) => day(n.createdAt)),
    ...section('Related', pkg.related as GraphNodeView[], (n) => {
      const r = pkg.related.find((x) => x.id === n.id)!;
      return `${r.direction === 'out' ? '' : 'from: '}${r.relation.replace('_', ' ')}`;
    }),
  ];
  if (pkg.history.length) {
    lines.push('## History', '');
    for (const h of [...pkg.history].reverse())
      lines.push(
        `- ${h.at.slice(0, 16).replace('T', ' ')} UTC — ${mdInline(h.summary)} by ${mdInline(h.actor)}`,
      );
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
