import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './decisions.routes';

export const listNodes: AppRouteHandler<typeof routes.listNodes> = async (c) =>
  c.json(await c.get('services').decisions.search(c.get('ctx'), c.req.valid('query')), 200);

export const createNode: AppRouteHandler<typeof routes.createNode> = async (c) =>
  c.json(await c.get('services').decisions.createNode(c.get('ctx'), c.req.valid('json')), 201);

export const getNode: AppRouteHandler<typeof routes.getNode> = async (c) =>
  c.json(await c.get('services').decisions.getNode(c.get('ctx'), c.req.valid('param').id), 200);

export const updateNode: AppRouteHandler<typeof routes.updateNode> = async (c) =>
  c.json(
    await c.get('services').decisions.updateNode(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')),
    200,
  );

export const deleteNode: AppRouteHandler<typeof routes.deleteNode> = async (c) => {
  await c.get('services').decisions.deleteNode(c.get('ctx'), c.req.valid('param').id);
  return c.body(null, 204);
};

export const connections: AppRouteHandler<typeof routes.connections> = async (c) =>
  c.json(
    await c
      .get('services')
      .decisions.connections(c.get('ctx'), c.req.valid('param').id, c.req.valid('query').depth),
    200,
  );

/** JSON by default; Markdown when the client asks for text/markdown (and not JSON first). */
const wantsMarkdown = (accept: string | undefined) => {
  const types = (accept ?? '').split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  const md = types.indexOf('text/markdown');
  const json = types.indexOf('application/json');
  return md !== -1 && (json === -1 || md < json);
};

export const nodePackage: AppRouteHandler<typeof routes.nodePackage> = async (c) => {
  const ctx = c.get('ctx');
  const services = c.get('services');
  const { id } = c.req.valid('param');
  c.header('Vary', 'Accept');
  if (wantsMarkdown(c.req.header('accept'))) {
    const markdown = await services.decisions.packageMarkdown(ctx, id);
    return c.body(markdown, 200, { 'Content-Type': 'text/markdown; charset=utf-8' });
  }
  return c.json(await services.decisions.package(ctx, id), 200);
};

export const listEdges: AppRouteHandler<typeof routes.listEdges> = async (c) =>
  c.json(await c.get('services').decisions.listEdges(c.get('ctx'), c.req.valid('query')), 200);

export const createEdge: AppRouteHandler<typeof routes.createEdge> = async (c) =>
  c.json(await c.get('services').decisions.createEdge(c.get('ctx'), c.req.valid('json')), 201);

export const deleteEdge: AppRouteHandler<typeof routes.deleteEdge> = async (c) => {
  await c.get('services').decisions.deleteEdge(c.get('ctx'), c.req.valid('param').id);
  return c.body(null, 204);
};

export const captureDecision: AppRouteHandler<typeof routes.captureDecision> = async (c) =>
  c.json(await c.get('services').decisions.capture(c.get('ctx'), c.req.valid('json')), 201);
