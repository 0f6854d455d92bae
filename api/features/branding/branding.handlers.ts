import type { Context } from 'hono';
import type { AppRouteHandler } from '../../lib/create-router';
import { AppError } from '../../lib/errors';
import type { AppEnv } from '../../lib/hono-env';
import type * as routes from './branding.routes';
import type { LogoFile } from './branding.service';

const YEAR = 'public, max-age=31536000, immutable';
const FIVE_MINUTES = 'public, max-age=300';

export const get: AppRouteHandler<typeof routes.get> = async (c) =>
  c.json(await c.get('services').branding.view(c.get('ctx')), 200);

export const patch: AppRouteHandler<typeof routes.patch> = async (c) =>
  c.json(await c.get('services').branding.setAccent(c.get('ctx'), c.req.valid('json')), 200);

export const uploadLogo: AppRouteHandler<typeof routes.uploadLogo> = async (c) => {
  let file: unknown;
  try {
    file = (await c.req.parseBody()).logo;
  } catch {
    file = null;
  }
  if (!(file instanceof File)) {
    throw new AppError('validation:branding', 'Invalid body: logo is required', {
      details: { fields: { logo: 'is required (multipart/form-data)' } },
    });
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  return c.json(await c.get('services').branding.uploadLogo(c.get('ctx'), { bytes }), 200);
};

export const removeLogo: AppRouteHandler<typeof routes.removeLogo> = async (c) =>
  c.json(await c.get('services').branding.removeLogo(c.get('ctx')), 200);

/** Versioned URLs are immutable; the bare URL is re-checked after five minutes (ETag → 304). */
function cacheHeaders(c: Context<AppEnv>, version: string): Record<string, string> {
  return {
    etag: `"${version}"`,
    'cache-control': c.req.query('v') === version && version ? YEAR : FIVE_MINUTES,
    'x-content-type-options': 'nosniff',
  };
}

const notModified = (c: Context<AppEnv>, version: string) =>
  c.req
    .header('if-none-match')
    ?.split(',')
    .some((tag) => tag.trim().replace(/^W\//, '') === `"${version}"`);

/** An image with its type, nosniff and an ETag (304 when the browser has it). */
function image(c: Context<AppEnv>, file: LogoFile, filename: string): Response {
  const headers = cacheHeaders(c, file.version);
  if (notModified(c, file.version)) return c.body(null, 304, headers);
  return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
    ...headers,
    'content-type': file.mediaType,
    'content-disposition': `inline; filename="${filename}"`,
  });
}

export const logo: AppRouteHandler<typeof routes.logo> = async (c) =>
  image(c, await c.get('services').branding.logoFile(c.get('ctx')), 'logo') as never;

/** GET /favicon.ico (not an API route): the logo, else the default mark; re-checked after five minutes. */
export const favicon = async (c: Context<AppEnv>) =>
  image(c, await c.get('services').branding.faviconFile(c.get('ctx')), 'favicon');

export const themeCss: AppRouteHandler<typeof routes.themeCss> = async (c) => {
  const { css, version } = await c.get('services').branding.themeCss(c.get('ctx'));
  return c.body(css, 200, {
    ...cacheHeaders(c, version),
    'content-type': 'text/css; charset=utf-8',
  }) as never;
};
