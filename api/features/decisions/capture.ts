/**
 * One call writes a whole decision subgraph in one transaction: the decision, its evidence, constraints,
 * conditions and alternatives, the people who decided, were consulted or notified (matched to existing
 * person nodes by e-mail or name, case-insensitively, instead of duplicated), and its links to earlier
 * decisions it supersedes (flipped to superseded) or relates to. Any invalid part → 422, nothing written.
 *
 * Edge directions: decision →decided_by/consulted/notified→ person; evidence →supports→ decision;
 * decision →depends_on→ constraint|condition; decision →considered→ alternative; decision →supersedes→
 * older decision; decision →relates_to→ node.
 */
import type { z } from 'zod';
import type { Ctx } from '../../lib/ctx';
import type { DecisionsService } from './decisions.service';
import { type DecisionEmbedding, embeddingText } from './embedder';
import { inTransaction, invalid, parseGraphInput } from './graph.guard';
import {
  type EdgeRow,
  findNodes,
  findPeople,
  insertEdges,
  insertNodes,
  type NewEdgeRow,
  type NodeRecord,
} from './graph.repo';
import { CaptureDecisionInput, type ItemRef, type PersonRef } from './graph.schemas';
import { provenanceOf, toEdgeView, toNodeView } from './graph.views';

type Capture = z.output<typeof CaptureDecisionInput>;
type Item = z.output<typeof ItemRef>;
type ItemKind = 'evidence' | 'constraint' | 'condition' | 'alternative';
type PersonRole = 'decided_by' | 'consulted' | 'notified';

interface Person {
  name: string;
  email: string | null;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** "Dana Whitfield", "dana@district.example", "Dana Whitfield <dana@district.example>" or { name, email }. */
export function personOf(ref: z.output<typeof PersonRef>): Person {
  if (typeof ref !== 'string') return { name: ref.name, email: ref.email?.toLowerCase() ?? null };
  const angled = ref.match(/^(.*?)\s*<([^<>\s]+)>$/);
  if (angled && EMAIL.test(angled[2]!))
    return { name: angled[1] || angled[2]!, email: angled[2]!.toLowerCase() };
  if (EMAIL.test(ref)) return { name: ref, email: ref.toLowerCase() };
  return { name: ref, email: null };
}

const personKey = (p: Person) => (p.email ? `e:${p.email}` : `n:${p.name.toLowerCase()}`);

const itemOf = (item: Item) => (typeof item === 'string' ? { title: item, body: '', metadata: {} } : item);

/** The existing person node for this reference: same e-mail first, else same name. */
function matchPerson(existing: readonly NodeRecord[], p: Person): NodeRecord | undefined {
  const email = (n: NodeRecord) => String(n.metadata.email ?? '').toLowerCase();
  return (
    (p.email ? existing.find((n) => email(n) === p.email) : undefined) ??
    existing.find((n) => n.title.toLowerCase() === p.name.toLowerCase())
  );
}

/** 422 naming each reference that is not a node (or, for supersedes, not a decision). */
function checkReferences(data: Capture, found: Map<string, NodeRecord>): void {
  const fields: Record<string, string> = {};
  (data.supersedes ?? []).forEach((id, i) => {
    const node = found.get(id);
    if (!node) fields[`supersedes.${i}`] = 'is not a node';
    else if (node.type !== 'decision') fields[`supersedes.${i}`] = 'is not a decision';
  });
  (data.relatedTo ?? []).forEach((id, i) => {
    if (!found.has(id)) fields[`relatedTo.${i}`] = 'is not a node';
  });
  if (Object.keys(fields).length) throw invalid(fields);
}

export async function captureDecision(ctx: Ctx, service: DecisionsService, input: unknown) {
  const data = parseGraphInput(CaptureDecisionInput, input);
  const provenance = provenanceOf(ctx.actor, data.agentId);
  const embed = (text: string) => service.embed(ctx, text);

  const items: { kind: ItemKind; title: string; body: string; metadata: Record<string, unknown> }[] = [
    ...(data.evidence ?? []).map((i) => ({ kind: 'evidence' as const, ...itemOf(i) })),
    ...(data.constraints ?? []).map((i) => ({ kind: 'constraint' as const, ...itemOf(i) })),
    ...(data.conditions ?? []).map((i) => ({ kind: 'condition' as const, ...itemOf(i) })),
    ...(data.alternatives_considered ?? []).map((i) => ({ kind: 'alternative' as const, ...itemOf(i) })),
  ].map((i) => ({ ...i, body: i.body ?? '', metadata: i.metadata ?? {} }));
  const decidedBy = Array.isArray(data.decidedBy) ? data.decidedBy : [data.decidedBy];
  const roles: { role: PersonRole; person: Person }[] = [
    ...decidedBy.map((r) => ({ role: 'decided_by' as const, person: personOf(r) })),
    ...(data.consulted ?? []).map((r) => ({ role: 'consulted' as const, person: personOf(r) })),
    ...(data.notified ?? []).map((r) => ({ role: 'notified' as const, person: personOf(r) })),
  ];
  const people = [...new Map(roles.map((r) => [personKey(r.person), r.person])).values()];

  // Embeddings first: a provider embedder is a network call and must not hold the transaction open.
  const decisionEmbedding = await embed(
    embeddingText({ title: data.decision, body: data.reasoning, class: data.class }),
  );
  const itemEmbeddings: DecisionEmbedding[] = [];
  for (const item of items) itemEmbeddings.push(await embed(embeddingText(item)));
  const personEmbeddings = new Map<string, DecisionEmbedding>();
  for (const p of people) personEmbeddings.set(personKey(p), await embed(p.name));

  return inTransaction(ctx, async (tx) => {
    const found = new Map(
      (await findNodes(tx, [...(data.supersedes ?? []), ...(data.relatedTo ?? [])])).map((n) => [n.id, n]),
    );
    checkReferences(data, found);

    const [decision] = await insertNodes(tx, [
      {
        type: 'decision',
        title: data.decision,
        body: data.reasoning ?? '',
        class: data.class ?? null,
        status: data.status ?? 'accepted',
        metadata: data.metadata ?? {},
        ...provenance,
        embedding: decisionEmbedding,
      },
    ]);
    const itemNodes = await insertNodes(
      tx,
      items.map((item, i) => ({
        type: item.kind,
        title: item.title,
        body: item.body,
        class: data.class ?? null,
        status: item.kind === 'alternative' ? ('rejected' as const) : null,
        metadata: item.metadata,
        ...provenance,
        embedding: itemEmbeddings[i]!,
      })),
    );

    const existing = await findPeople(
      tx,
      people.flatMap((p) => (p.email ? [p.name, p.email] : [p.name])),
    );
    const personNode = new Map<string, NodeRecord>();
    const toCreate: Person[] = [];
    for (const p of people) {
      const match = matchPerson(existing, p);
      if (match) personNode.set(personKey(p), match);
      else toCreate.push(p);
    }
    const created = await insertNodes(
      tx,
      toCreate.map((p) => ({
        type: 'person' as const,
        title: p.name,
        metadata: p.email ? { email: p.email } : {},
        ...provenance,
        embedding: personEmbeddings.get(personKey(p))!,
      })),
    );
    for (const [i, p] of toCreate.entries()) personNode.set(personKey(p), created[i]!);

    const by = ctx.actor.id;
    const edge = (from: string, to: string, type: EdgeRow['type']): NewEdgeRow => ({
      fromNodeId: from,
      toNodeId: to,
      type,
      createdByUserId: by,
    });
    const d = decision!.id;
    const wanted: NewEdgeRow[] = [
      ...itemNodes.map((n) =>
        n.type === 'evidence'
          ? edge(n.id, d, 'supports')
          : edge(d, n.id, n.type === 'alternative' ? 'considered' : 'depends_on'),
      ),
      ...roles.map((r) => edge(d, personNode.get(personKey(r.person))!.id, r.role)),
      ...(data.supersedes ?? []).map((id) => edge(d, id, 'supersedes')),
      ...(data.relatedTo ?? []).map((id) => edge(d, id, 'relates_to')),
    ];
    const unique = [...new Map(wanted.map((e) => [`${e.fromNodeId} ${e.toNodeId} ${e.type}`, e])).values()];
    const edges = await insertEdges(tx, unique);

    const txCtx = { ...ctx, db: tx };
    const superseded = await service.markSuperseded(txCtx, data.supersedes ?? [], decision!);
    await service.audit(txCtx, 'graph.decision_capture', decision!, {
      title: decision!.title,
      nodes: 1 + itemNodes.length + created.length,
      edges: edges.length,
      peopleMatched: people.length - created.length,
      superseded,
      ...(data.agentId ? { agentId: data.agentId } : {}),
    });

    const linked = [...personNode.values(), ...found.values()].map((n) =>
      superseded.includes(n.id) ? { ...n, status: 'superseded' as const } : n,
    );
    const nodes = [decision!, ...itemNodes, ...new Map(linked.map((n) => [n.id, n])).values()];
    return { decision: toNodeView(decision!), nodes: nodes.map(toNodeView), edges: edges.map(toEdgeView) };
  });
}
