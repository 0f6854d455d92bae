import type { AppRouteHandler } from '../../lib/create-router';
import { AppError } from '../../lib/errors';
import { contentDisposition } from '../attachments/attachments.handlers';
import type * as routes from './knowledge.routes';
import type { AddTextInput, AddUrlInput } from './knowledge.schemas';

/** Search results without the chunk's full text (the API answers snippets). */
const publicResults = <T extends { text: string }>(results: T[]) =>
  results.map(({ text: _text, ...rest }) => rest);

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json({ repositories: await c.get('services').knowledge.listRepositories(c.get('ctx')) }, 200);

export const create: AppRouteHandler<typeof routes.create> = async (c) =>
  c.json(await c.get('services').knowledge.createRepository(c.get('ctx'), c.req.valid('json')), 201);

export const getOne: AppRouteHandler<typeof routes.getOne> = async (c) =>
  c.json(await c.get('services').knowledge.getRepository(c.get('ctx'), c.req.valid('param').id), 200);

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  await c.get('services').knowledge.deleteRepository(c.get('ctx'), c.req.valid('param').id);
  return c.body(null, 204);
};

export const setAccess: AppRouteHandler<typeof routes.setAccess> = async (c) =>
  c.json(
    await c
      .get('services')
      .knowledge.updateAccess(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')),
    200,
  );

export const setEmbeddingModel: AppRouteHandler<typeof routes.setEmbeddingModel> = async (c) =>
  c.json(
    await c
      .get('services')
      .knowledge.changeEmbeddingModel(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')),
    202,
  );

export const listItems: AppRouteHandler<typeof routes.listItems> = async (c) =>
  c.json({ items: await c.get('services').knowledge.listItems(c.get('ctx'), c.req.valid('param').id) }, 200);

/** One operation, three sources: a multipart `file`, JSON `{ url }` or JSON `{ title, text }`. */
export const addItem: AppRouteHandler<typeof routes.addItem> = async (c) => {
  const ctx = c.get('ctx');
  const services = c.get('services');
  const { id } = c.req.valid('param');
  const type = c.req.header('content-type') ?? '';
  if (/^multipart\/form-data/i.test(type)) {
    const file = (await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)).file;
    if (!(file instanceof File))
      throw new AppError('validation:knowledge', 'Invalid body: file is required', {
        details: { fields: { file: 'is required (multipart/form-data)' } },
      });
    const bytes = new Uint8Array(await file.arrayBuffer());
    return c.json(await services.knowledge.addFile(ctx, id, { filename: file.name, bytes }), 202);
  }
  const body = c.req.valid('json') as Record<string, unknown> | undefined;
  if (body && 'url' in body)
    return c.json(await services.knowledge.addUrl(ctx, id, body as AddUrlInput), 202);
  return c.json(await services.knowledge.addText(ctx, id, (body ?? {}) as AddTextInput), 202);
};

export const getItem: AppRouteHandler<typeof routes.getItem> = async (c) => {
  const { id, itemId } = c.req.valid('param');
  return c.json(await c.get('services').knowledge.getItem(c.get('ctx'), id, itemId), 200);
};

/** Shown in the browser: PDFs and images as they are, text formats as plain text; the rest downloads. */
const INLINE_AS_TEXT = new Set(['text/plain', 'text/markdown', 'text/csv', 'application/json']);

export const itemFile: AppRouteHandler<typeof routes.itemFile> = async (c) => {
  const { id, itemId } = c.req.valid('param');
  const file = await c.get('services').knowledge.itemFile(c.get('ctx'), id, itemId);
  const asText = INLINE_AS_TEXT.has(file.mediaType);
  const inline = asText || file.mediaType === 'application/pdf' || file.mediaType.startsWith('image/');
  return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
    'content-type': asText ? 'text/plain; charset=utf-8' : file.mediaType,
    'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', file.filename),
    'x-content-type-options': 'nosniff',
    // Chromium's PDF viewer does not run in a sandboxed document; everything else gets the sandbox too.
    ...(file.mediaType === 'application/pdf'
      ? {}
      : { 'content-security-policy': "default-src 'none'; frame-ancestors 'none'; sandbox" }),
    'cache-control': 'private',
  });
};

export const removeItem: AppRouteHandler<typeof routes.removeItem> = async (c) => {
  const { id, itemId } = c.req.valid('param');
  await c.get('services').knowledge.removeItem(c.get('ctx'), id, itemId);
  return c.body(null, 204);
};

export const reindexItem: AppRouteHandler<typeof routes.reindexItem> = async (c) => {
  const { id, itemId } = c.req.valid('param');
  return c.json(await c.get('services').knowledge.reindexItem(c.get('ctx'), id, itemId), 202);
};

export const searchRepository: AppRouteHandler<typeof routes.searchRepository> = async (c) => {
  const { id } = c.req.valid('param');
  const results = await c.get('services').knowledge.search(c.get('ctx'), {
    ...c.req.valid('query'),
    repositoryIds: [id],
  });
  return c.json({ results: publicResults(results) }, 200);
};

export const searchAll: AppRouteHandler<typeof routes.searchAll> = async (c) => {
  const results = await c.get('services').knowledge.search(c.get('ctx'), c.req.valid('query'));
  return c.json({ results: publicResults(results) }, 200);
};
