import type { AppRouteHandler } from '../../lib/create-router';
import { AppError } from '../../lib/errors';
import type * as routes from './attachments.routes';

export const upload: AppRouteHandler<typeof routes.upload> = async (c) => {
  let file: unknown;
  try {
    file = (await c.req.parseBody()).file;
  } catch {
    file = null;
  }
  if (!(file instanceof File)) {
    throw new AppError('validation:attachments', 'Invalid body: file is required', {
      details: { fields: { file: 'is required (multipart/form-data)' } },
    });
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  return c.json(await c.var.services.attachments.upload(c.var.ctx, { filename: file.name, bytes }), 201);
};
