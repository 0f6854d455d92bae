/** A node's package as sections of links (who decided, evidence, alternatives, people…), and its history. */
import { Link } from '@remix-run/react';
import { formatDateTime } from '~/lib/format';
import type { DecisionPackageView, GraphNodeView } from '../../../api/features/decisions/graph.schemas';
import { EDGE_LABEL, nodeHref } from './node-meta';
import { NodeBadges } from './status-badge';

function NodeLink({ node, note }: { node: GraphNodeView; note?: string }) {
  const email = typeof node.metadata.email === 'string' ? node.metadata.email : null;
  return (
    <li className="flex flex-col gap-0.5">
      <span className="flex flex-wrap items-center gap-2">
        <Link to={nodeHref(node.id)} className="font-medium text-link underline-offset-4 hover:underline">
          {node.title}
        </Link>
        {note ? <span className="text-xs text-fg-muted">{note}</span> : null}
        {node.type === 'decision' ? <NodeBadges type={node.type} status={node.status} /> : null}
      </span>
      {email ? <span className="text-xs text-fg-muted">{email}</span> : null}
      {node.body && node.type !== 'person' ? (
        <span className="text-sm text-fg-muted">{node.body}</span>
      ) : null}
    </li>
  );
}

const SECTIONS: [keyof DecisionPackageView, string][] = [
  ['decidedBy', 'Decided by'],
  ['evidence', 'Evidence'],
  ['alternatives', 'Alternatives considered'],
  ['constraints', 'Constraints'],
  ['conditions', 'Conditions'],
  ['consulted', 'Consulted'],
  ['notified', 'Notified'],
  ['supersedes', 'Supersedes'],
  ['supersededBy', 'Superseded by'],
];

export function PackageSections({ pkg }: { pkg: DecisionPackageView }) {
  const shown = SECTIONS.filter(([key]) => (pkg[key] as GraphNodeView[]).length > 0);
  return (
    <div className="grid gap-6 sm:grid-cols-2">
      {shown.map(([key, title]) => (
        <section key={key} aria-labelledby={`pkg-${key}`} className="flex flex-col gap-2">
          <h3 id={`pkg-${key}`} className="text-sm font-semibold uppercase tracking-wide text-fg-muted">
            {title}
          </h3>
          <ul className="flex flex-col gap-2">
            {(pkg[key] as GraphNodeView[]).map((n) => (
              <NodeLink key={n.id} node={n} />
            ))}
          </ul>
        </section>
      ))}
      {pkg.related.length ? (
        <section aria-labelledby="pkg-related" className="flex flex-col gap-2">
          <h3 id="pkg-related" className="text-sm font-semibold uppercase tracking-wide text-fg-muted">
            Linked
          </h3>
          <ul className="flex flex-col gap-2">
            {pkg.related.map((n) => (
              <NodeLink
                key={`${n.id}-${n.relation}-${n.direction}`}
                node={n}
                note={n.direction === 'out' ? EDGE_LABEL[n.relation] : `${EDGE_LABEL[n.relation]} this`}
              />
            ))}
          </ul>
        </section>
      ) : null}
      {shown.length === 0 && pkg.related.length === 0 ? (
        <p className="text-sm text-fg-muted">Nothing is linked to this yet.</p>
      ) : null}
    </div>
  );
}

export function HistoryList({ history }: { history: DecisionPackageView['history'] }) {
  if (!history.length) return <p className="text-sm text-fg-muted">No recorded changes.</p>;
  return (
    <ol className="flex flex-col gap-2 border-l border-border pl-4">
      {history.map((h) => (
        <li key={h.id} className="text-sm">
          <span className="font-medium text-fg">{h.summary}</span>
          <span className="text-fg-muted">
            {' '}
            — {h.actor}, {formatDateTime(h.at)}
          </span>
        </li>
      ))}
    </ol>
  );
}
