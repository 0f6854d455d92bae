/** How the decision log names and colours node types, statuses and edge types (pure; used by every view). */
import type { BadgeVariant } from '~/components/ui';

export const TYPE_LABEL: Record<string, string> = {
  decision: 'Decision',
  evidence: 'Evidence',
  constraint: 'Constraint',
  condition: 'Condition',
  alternative: 'Alternative',
  person: 'Person',
  topic: 'Topic',
  document: 'Document',
  outcome: 'Outcome',
};

export const STATUS_VARIANT: Record<string, BadgeVariant> = {
  accepted: 'success',
  proposed: 'primary',
  superseded: 'warning',
  rejected: 'neutral',
};

export const TYPE_VARIANT: Record<string, BadgeVariant> = {
  decision: 'primary',
  evidence: 'success',
  constraint: 'warning',
  condition: 'warning',
  alternative: 'neutral',
  person: 'neutral',
};

/** An edge type in words, read from the edge's source to its target. */
export const EDGE_LABEL: Record<string, string> = {
  supersedes: 'supersedes',
  relates_to: 'relates to',
  depends_on: 'depends on',
  supports: 'supports',
  contradicts: 'contradicts',
  considered: 'considered',
  decided_by: 'decided by',
  consulted: 'consulted',
  notified: 'notified',
};

export const nodeHref = (id: string) => `/decisions/${id}`;
