/**
 * The decision log over the public API v1 with API keys: one-call capture (people matched, not duplicated),
 * supersede flipping status, invalid input → 422 naming the field with nothing written, hybrid search with
 * filters and cursor pages, neighbourhoods, the package as JSON and Markdown, audit with the actor, and
 * nothing at all for a student or a key without graph scopes.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let writer: string;
let reader: string;
let chatOnly: string;
let studentKey: string;
let studentCookie: string;

const PASSWORD = 'Correct-horse-battery-staple-42';

async function signUp(email: string, roles?: string[]) {
  const ctx = app.services.systemCtx();
  if (!roles) return (await app.services.auth.signUp(ctx, { email, password: PASSWORD, name: email })).user;
  return app.services.users.create(ctx, { email, roles });
}

const key = async (email: string, scopes: string[]) =>
  (await app.services.apiKeys.createForEmail(app.services.systemCtx(), email, { name: 'graph', scopes }))
    .secret;

function call(
  method: string,
  path: string,
  secret: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return app.fetch(path, {
    method,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function counts() {
  const rows = await app.database.db.execute<{ nodes: number; edges: number }>(
    sql`select (select count(*)::int from graph_nodes) as nodes, (select count(*)::int from graph_edges) as edges`,
  );
  return [...rows][0]!;
}

interface Node {
  id: string;
  type: string;
  status: string | null;
  title: string;
}
interface Subgraph {
  decision: Node;
  nodes: Node[];
  edges: { id: string; fromNodeId: string; toNodeId: string; type: string }[];
}

const START_TIMES = {
  decision: 'Move the high-school start time to 8:45',
  decidedBy: 'School Board',
  reasoning: 'Adolescent circadian research and our attendance data favour a later start.',
  class: 'scheduling',
  evidence: ['Attendance in first period is 12% lower', { title: 'AAP policy statement', body: '2014' }],
  constraints: ['Bus contract fixed until June'],
  conditions: ['Review after one year'],
  alternatives_considered: ['Keep 7:50', 'Stagger by grade'],
  consulted: [{ name: 'Dana Whitfield', email: 'Dana@District.example' }, 'Transport office'],
  notified: ['Parents council'],
};

let first: Subgraph;

beforeAll(async () => {
  app = await startTestApp();
  await signUp('admin@district.example');
  await signUp('secretary@district.example', ['staff']);
  await signUp('pupil@district.example', ['student']);
  writer = await key('secretary@district.example', ['graph:read', 'graph:write']);
  reader = await key('secretary@district.example', ['graph:read']);
  chatOnly = await key('secretary@district.example', ['chat']);
  studentKey = await key('pupil@district.example', ['*']);
  const student = await app.services.users.findByEmail(app.services.systemCtx(), 'pupil@district.example');
  const { token } = await app.services.auth.createSession(app.services.systemCtx(), student!.id);
  studentCookie = `aistudio_session=${token}`;
});
afterAll(async () => app?.close());

describe('POST /api/v1/graph/decisions', () => {
  it('writes the whole subgraph in one call and answers 201 { decision, nodes, edges }', async () => {
    const res = await call('POST', '/api/v1/graph/decisions', writer, START_TIMES);
    expect(res.status).toBe(201);
    first = (await res.json()) as Subgraph;
    expect(first.decision).toMatchObject({
      type: 'decision',
      status: 'accepted',
      title: START_TIMES.decision,
    });
    const byType = (t: string) =>
      first.nodes
        .filter((n) => n.type === t)
        .map((n) => n.title)
        .sort();
    expect(byType('evidence')).toEqual(['AAP policy statement', 'Attendance in first period is 12% lower']);
    expect(byType('alternative')).toEqual(['Keep 7:50', 'Stagger by grade']);
    expect(byType('person')).toEqual([
      'Dana Whitfield',
      'Parents council',
      'School Board',
      'Transport office',
    ]);
    const edgeTypes = first.edges.map((e) => e.type).sort();
    expect(edgeTypes).toEqual([
      'considered',
      'considered',
      'consulted',
      'consulted',
      'decided_by',
      'depends_on',
      'depends_on',
      'notified',
      'supports',
      'supports',
    ]);
    const d = first.decision.id;
    const evidence = first.nodes.filter((n) => n.type === 'evidence').map((n) => n.id);
    expect(first.edges.filter((e) => e.type === 'supports').every((e) => e.toNodeId === d)).toBe(true);
    expect(
      first.edges
        .filter((e) => e.type === 'supports')
        .map((e) => e.fromNodeId)
        .sort(),
    ).toEqual(evidence.sort());
  });

  it('matches people by e-mail or name (any case) instead of duplicating them', async () => {
    const res = await call('POST', '/api/v1/graph/decisions', writer, {
      decision: 'Publish the bell schedule in September',
      decidedBy: 'school board',
      consulted: ['dana@district.example', 'TRANSPORT OFFICE'],
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Subgraph;
    const people = body.nodes.filter((n) => n.type === 'person');
    const earlier = new Map(first.nodes.filter((n) => n.type === 'person').map((n) => [n.title, n.id]));
    expect(people.map((p) => p.id).sort()).toEqual(
      [earlier.get('School Board'), earlier.get('Dana Whitfield'), earlier.get('Transport office')].sort(),
    );
  });

  it('supersedes an earlier decision and flips its status in the same call', async () => {
    const res = await call('POST', '/api/v1/graph/decisions', writer, {
      decision: 'Move the high-school start time to 8:30 instead',
      decidedBy: 'School Board',
      reasoning: 'The bus contract could be renegotiated earlier than expected.',
      supersedes: [first.decision.id],
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Subgraph;
    expect(body.edges).toContainEqual(
      expect.objectContaining({
        type: 'supersedes',
        fromNodeId: body.decision.id,
        toNodeId: first.decision.id,
      }),
    );
    const old = (await (
      await call('GET', `/api/v1/graph/nodes/${first.decision.id}`, reader)
    ).json()) as Node;
    expect(old.status).toBe('superseded');
    const pkg = await (await call('GET', `/api/v1/graph/nodes/${first.decision.id}/package`, reader)).json();
    expect(pkg.supersededBy.map((n: Node) => n.id)).toEqual([body.decision.id]);
    expect(pkg.history.map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining(['graph.decision_capture', 'graph.node_superseded']),
    );
  });

  it('refuses invalid input with 422 naming the field, and writes nothing', async () => {
    const before = await counts();
    const cases: [unknown, string][] = [
      [{ decision: 'No decider' }, 'decidedBy'],
      [
        { decision: 'x', decidedBy: 'Board', supersedes: ['00000000-0000-4000-8000-000000000000'] },
        'supersedes.0',
      ],
      [{ decision: 'x', decidedBy: 'Board', relatedTo: ['not-a-uuid'] }, 'relatedTo.0'],
      [
        {
          decision: 'x',
          decidedBy: 'Board',
          evidence: ['fine'],
          supersedes: [first.nodes.find((n) => n.type === 'evidence')!.id],
        },
        'supersedes.0',
      ],
      [{ decision: '', decidedBy: 'Board' }, 'decision'],
    ];
    for (const [body, field] of cases) {
      const res = await call('POST', '/api/v1/graph/decisions', writer, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      const error = (await res.json()).error;
      expect(Object.keys(error.details.fields)).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });
});

describe('nodes and edges', () => {
  it('creates, patches and deletes nodes; edges refuse self-loops, unknown nodes and types', async () => {
    const created = await call('POST', '/api/v1/graph/nodes', writer, {
      type: 'topic',
      title: 'Start times',
    });
    expect(created.status).toBe(201);
    const topic = (await created.json()) as Node;
    const before = await counts();
    const bad: [unknown, string][] = [
      [{ fromNodeId: topic.id, toNodeId: topic.id, type: 'relates_to' }, 'toNodeId'],
      [
        { fromNodeId: topic.id, toNodeId: '00000000-0000-4000-8000-000000000000', type: 'relates_to' },
        'toNodeId',
      ],
      [{ fromNodeId: topic.id, toNodeId: first.decision.id, type: 'inspired' }, 'type'],
      [{ fromNodeId: topic.id, toNodeId: first.decision.id, type: 'supersedes' }, 'type'],
    ];
    for (const [body, field] of bad) {
      const res = await call('POST', '/api/v1/graph/edges', writer, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys((await res.json()).error.details.fields)).toContain(field);
    }
    expect(await counts()).toEqual(before);

    const link = { fromNodeId: first.decision.id, toNodeId: topic.id, type: 'relates_to' };
    const edge = await call('POST', '/api/v1/graph/edges', writer, link);
    expect(edge.status).toBe(201);
    expect((await call('POST', '/api/v1/graph/edges', writer, link)).status).toBe(409);
    const edges = await (await call('GET', `/api/v1/graph/edges?nodeId=${topic.id}`, reader)).json();
    expect(edges.items).toHaveLength(1);

    const patched = await call('PATCH', `/api/v1/graph/nodes/${topic.id}`, writer, {
      title: 'School start times',
    });
    expect(await patched.json()).toMatchObject({ title: 'School start times' });
    expect((await call('DELETE', `/api/v1/graph/nodes/${topic.id}`, writer)).status).toBe(204);
    expect((await call('GET', `/api/v1/graph/nodes/${topic.id}`, reader)).status).toBe(404);
    expect(
      (await call('GET', `/api/v1/graph/edges?nodeId=${topic.id}`, reader).then((r) => r.json())).items,
    ).toEqual([]);
  });

  it('deleting the supersedes edge accepts the earlier decision again', async () => {
    const later = await call('POST', '/api/v1/graph/decisions', writer, {
      decision: 'Trial a 9:00 start for seniors',
      decidedBy: 'Principal',
    });
    const a = (await later.json()) as Subgraph;
    const b = (await (
      await call('POST', '/api/v1/graph/decisions', writer, {
        decision: 'Cancel the trial',
        decidedBy: 'Principal',
      })
    ).json()) as Subgraph;
    const edge = await (
      await call('POST', '/api/v1/graph/edges', writer, {
        fromNodeId: b.decision.id,
        toNodeId: a.decision.id,
        type: 'supersedes',
      })
    ).json();
    expect((await (await call('GET', `/api/v1/graph/nodes/${a.decision.id}`, reader)).json()).status).toBe(
      'superseded',
    );
    expect((await call('DELETE', `/api/v1/graph/edges/${edge.id}`, writer)).status).toBe(204);
    expect((await (await call('GET', `/api/v1/graph/nodes/${a.decision.id}`, reader)).json()).status).toBe(
      'accepted',
    );
  });
});

describe('search, connections and the package', () => {
  it('finds a decision by a word of its reasoning, with filters and cursor pages', async () => {
    const res = await call('GET', '/api/v1/graph/nodes?q=circadian', reader);
    expect(res.status).toBe(200);
    const page = await res.json();
    expect(page.items[0]).toMatchObject({ id: first.decision.id });
    expect(page.items[0].matchedBy).toEqual(expect.arrayContaining(['text', 'semantic']));
    expect(page.embedder).toBe('lexical');

    const decisions = await (
      await call('GET', '/api/v1/graph/nodes?type=decision&status=accepted', reader)
    ).json();
    expect(decisions.items.every((n: Node) => n.type === 'decision' && n.status === 'accepted')).toBe(true);
    expect(decisions.items.map((n: Node) => n.id)).not.toContain(first.decision.id);

    const withDana = await (
      await call('GET', '/api/v1/graph/nodes?type=decision&person=DANA@district.example', reader)
    ).json();
    expect(withDana.items.map((n: Node) => n.title).sort()).toEqual(
      ['Move the high-school start time to 8:45', 'Publish the bell schedule in September'].sort(),
    );
    const none = await (await call('GET', '/api/v1/graph/nodes?q=circadian&until=2000-01-01', reader)).json();
    expect(none.items).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p = await (
        await call(
          'GET',
          `/api/v1/graph/nodes?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          reader,
        )
      ).json();
      seen.push(...p.items.map((n: Node) => n.id));
      cursor = p.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe((await counts()).nodes);
    expect((await call('GET', '/api/v1/graph/nodes?cursor=nonsense', reader)).status).toBe(422);
  });

  it('walks connections to depth 1–3', async () => {
    const one = await (
      await call('GET', `/api/v1/graph/nodes/${first.decision.id}/connections?depth=1`, reader)
    ).json();
    const two = await (
      await call('GET', `/api/v1/graph/nodes/${first.decision.id}/connections?depth=2`, reader)
    ).json();
    expect(one.nodes.length).toBeGreaterThan(10);
    expect(Math.max(...one.nodes.map((n: { distance: number }) => n.distance))).toBe(1);
    const bell = two.nodes.find((n: Node) => n.title === 'Publish the bell schedule in September');
    expect(bell.distance).toBe(2);
    expect(one.nodes.map((n: Node) => n.title)).not.toContain('Publish the bell schedule in September');
    expect(
      (await call('GET', `/api/v1/graph/nodes/${first.decision.id}/connections?depth=4`, reader)).status,
    ).toBe(422);
  });

  it('returns the package as JSON and as Markdown', async () => {
    const pkg = await (await call('GET', `/api/v1/graph/nodes/${first.decision.id}/package`, reader)).json();
    expect(pkg.node.id).toBe(first.decision.id);
    expect(pkg.decidedBy.map((n: Node) => n.title)).toEqual(['School Board']);
    expect(pkg.evidence).toHaveLength(2);
    expect(pkg.constraints.map((n: Node) => n.title)).toEqual(['Bus contract fixed until June']);
    expect(pkg.conditions.map((n: Node) => n.title)).toEqual(['Review after one year']);
    expect(pkg.alternatives.map((n: Node) => n.title).sort()).toEqual(['Keep 7:50', 'Stagger by grade']);
    expect(pkg.consulted.map((n: Node) => n.title).sort()).toEqual(['Dana Whitfield', 'Transport office']);
    expect(pkg.notified.map((n: Node) => n.title)).toEqual(['Parents council']);

    const md = await call('GET', `/api/v1/graph/nodes/${first.decision.id}/package`, reader, undefined, {
      accept: 'text/markdown',
    });
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    const text = await md.text();
    expect(text).toMatch(/^# Move the high-school start time to 8:45\n/);
    for (const line of [
      '## Reasoning',
      '## Evidence',
      '- Keep 7:50',
      '- Dana Whitfield (dana@district.example)',
      '## Superseded by',
    ])
      expect(text).toContain(line);
  });
});

describe('access', () => {
  it('audits every write with its actor', async () => {
    const events = await app.services.audit.list(app.services.systemCtx(), {
      action: 'graph.decision_capture',
      limit: 50,
    });
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(events[0]).toMatchObject({ actorType: 'api_key', targetType: 'graph_node' });
    expect(events[0]!.actorLabel).toContain('secretary@district.example');
  });

  it('shows a student nothing, and a key without graph scopes nothing', async () => {
    for (const path of [
      '/api/v1/graph/nodes',
      `/api/v1/graph/nodes/${first.decision.id}`,
      `/api/v1/graph/nodes/${first.decision.id}/package`,
      '/api/v1/graph/edges',
    ]) {
      expect((await call('GET', path, studentKey)).status).toBe(403);
      expect((await call('GET', path, chatOnly)).status).toBe(403);
      expect((await app.fetch(path, { headers: { cookie: studentCookie } })).status).toBe(403);
      expect((await app.fetch(path)).status).toBe(401);
    }
    expect((await call('POST', '/api/v1/graph/decisions', reader, START_TIMES)).status).toBe(403);
  });
});
