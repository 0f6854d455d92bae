/**
 * The decision tools called the way a surface calls them: input parsed by the tool's schema, the handler
 * run with a caller's Ctx over the real services and database, output checked against the tool's schema.
 * (The MCP transport test joins once the MCP server lands.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../../../tests/helpers/test-app';
import type { Actor, Ctx } from '../../lib/ctx';
import { TOOLS } from '../../tools/registry';
import type { ToolDefinition } from '../../tools/tool';

let t: TestServices;
let staff: Ctx;
let student: Ctx;

const tool = (name: string) => TOOLS.find((x) => x.name === name) as ToolDefinition;

async function run(name: string, ctx: Ctx, args: unknown) {
  const def = tool(name);
  const output = await def.handler(def.input.parse(args), {
    ctx,
    services: t.services,
    signal: new AbortController().signal,
  });
  return def.output.parse(output) as Record<string, unknown>;
}

async function actorOf(email: string, role: string): Promise<Actor> {
  const ctx = t.services.systemCtx();
  const user = await t.services.users.create(ctx, { email, roles: [role] });
  return (await t.services.users.actorFor(t.database.db, user.id))!;
}

beforeAll(async () => {
  t = await createTestServices();
  const base = t.services.systemCtx();
  staff = { ...base, actor: await actorOf('principal@district.example', 'staff') };
  student = { ...base, actor: await actorOf('pupil@district.example', 'student') };
});
afterAll(async () => t?.close());

describe('decision tools', () => {
  it('are registered with their scopes and capabilities', () => {
    expect(tool('search_decisions')).toMatchObject({
      scopes: ['mcp:read', 'graph:read'],
      capability: 'decisions:read',
    });
    expect(tool('get_decision_graph')).toMatchObject({ scopes: ['mcp:read', 'graph:read'] });
    expect(tool('capture_decision')).toMatchObject({
      scopes: ['mcp:write', 'graph:write'],
      capability: 'decisions:write',
    });
  });

  it('capture, search and graph a decision with evidence, two alternatives and a consulted person', async () => {
    const captured = await run('capture_decision', staff, {
      decision: 'Adopt open textbooks for grade 9 science',
      decidedBy: 'Curriculum committee',
      reasoning: 'Licensing savings fund lab equipment; teachers reviewed three open titles.',
      evidence: ['Licence quote: 38,000 per year'],
      alternatives_considered: ['Renew the publisher licence', 'Printed workbooks only'],
      consulted: ['Science department <science@district.example>'],
      agentId: 'board-assistant',
    });
    const decision = captured.decision as { id: string; createdBy: { agentId: string } };
    expect(decision.createdBy.agentId).toBe('board-assistant');
    expect((captured.nodes as { type: string }[]).map((n) => n.type).sort()).toEqual([
      'alternative',
      'alternative',
      'decision',
      'evidence',
      'person',
      'person',
    ]);

    const found = await run('search_decisions', staff, { query: 'licensing savings' });
    expect((found.items as { id: string }[])[0]?.id).toBe(decision.id);

    const graph = await run('get_decision_graph', staff, { nodeId: decision.id, depth: 1 });
    const titles = (graph.nodes as { title: string }[]).map((n) => n.title);
    expect(titles).toEqual(expect.arrayContaining(['Science department', 'Printed workbooks only']));
    expect((graph.edges as unknown[]).length).toBe(5);
  });

  it('refuses a student (no decisions:read) and invalid input', async () => {
    await expect(run('search_decisions', student, { q: 'textbooks' })).rejects.toMatchObject({
      code: 'forbidden:decisions',
    });
    await expect(run('capture_decision', student, { decision: 'x', decidedBy: 'y' })).rejects.toMatchObject({
      code: 'forbidden:decisions',
    });
    await expect(
      run('capture_decision', staff, {
        decision: 'x',
        decidedBy: 'y',
        supersedes: ['00000000-0000-4000-8000-000000000000'],
      }),
    ).rejects.toMatchObject({
      code: 'validation:graph',
      details: { fields: { 'supersedes.0': 'is not a node' } },
    });
  });
});
