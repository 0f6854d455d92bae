import type { AppRouteHandler } from '../../lib/create-router';
import { AppError } from '../../lib/errors';
import type * as routes from './attachments.routes';

export const upload: AppRouteHandler<typeof routes.upload> = async (c) => {
  let file: unknown;
  let chatId: unknown;
  try {
    ({ file, chatId } = await c.req.parseBody());
  } catch {
    file = null;
  }
  if (!(file instanceof File)) {
    throw new AppError('validation:attachments', 'Invalid body: file is required', {
      details: { fields: { file: 'is required (multipart/form-data)' } },
    });
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  return c.json(
    await c.get('services').attachments.upload(c.get('ctx'), {
      filename: file.name,
      bytes,
      // Checked by the route's schema (a UUID, else 422 naming chatId).
      chatId: typeof chatId === 'string' ? chatId : undefined,
    }),
    201,
  );
};

/** RFC 6266 / RFC 8187: an ASCII fallback name and the exact UTF-8 name. */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export const download: AppRouteHandler<typeof routes.download> = async (c) => {
  const file = await c.get('services').attachments.download(c.get('ctx'), c.req.valid('param').id);
  const type = file.mediaType.startsWith('text/') ? `${file.mediaType}; charset=utf-8` : file.mediaType;
  return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
    'content-type': type,
    'content-disposition': contentDisposition(file.kind === 'image' ? 'inline' : 'attachment', file.filename),
    'x-content-type-options': 'nosniff',
    'cache-control': 'private',
  });
};

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  await c.get('services').attachments.remove(c.get('ctx'), c.req.valid('param').id);
  return c.body(null, 204);
};
