import { createRoute, z } from '@hono/zod-openapi';
import { ErrorResponse, errorResponses, jsonBody, jsonOk } from '../../lib/openapi';
import { requireCapability } from '../../middleware/rbac';

const guard = [requireCapability('admin:settings')];

export const BrandingSchema = z
  .object({
    accentColor: z.string().nullable().openapi({ description: 'Lowercase #rrggbb, or null for the default' }),
    themeCssUrl: z.string().nullable(),
    logo: z
      .object({
        url: z.string(),
        mediaType: z.string(),
        width: z.number().int(),
        height: z.number().int(),
        bytes: z.number().int(),
      })
      .nullable(),
  })
  .openapi('Branding');

const VersionQuery = z.object({
  v: z
    .string()
    .max(64)
    .optional()
    .openapi({ description: 'Version from the Branding view; cached for a year' }),
});

export const get = createRoute({
  method: 'get',
  path: '/admin/branding',
  tags: ['Admin'],
  summary: 'The logo and accent colour in use',
  middleware: guard,
  responses: { 200: jsonOk(BrandingSchema, 'Branding'), ...errorResponses(401, 403) },
});

export const patch = createRoute({
  method: 'patch',
  path: '/admin/branding',
  tags: ['Admin'],
  summary: 'Set or clear the accent colour',
  description:
    'A hex colour (#0f766e, #0F766E or #0f7); null goes back to the default. White text on it, and links in it on the light page background, must reach 4.5:1 contrast (WCAG AA): a lighter colour is refused with 422 naming `accentColor` and the ratio it reaches. Audited as the setting branding.accent_color, before → after.',
  middleware: guard,
  request: { body: jsonBody(z.object({ accentColor: z.string().max(32).nullable() })) },
  responses: { 200: jsonOk(BrandingSchema, 'Saved'), ...errorResponses(401, 403, 422) },
});

export const uploadLogo = createRoute({
  method: 'put',
  path: '/admin/branding/logo',
  tags: ['Admin'],
  summary: 'Upload the logo shown in the header instead of the default mark',
  description:
    'multipart/form-data with one `logo` file: a PNG, JPEG or WebP image (type sniffed from the content; SVG is refused because it can carry scripts), at most 512 KB, each side 16–2048 pixels. Refusals name the `logo` field: 413 too large, 415 another type, 422 empty, damaged or out of bounds. Stored in DATA_DIR or S3; audited as the setting branding.logo.',
  middleware: guard,
  request: {
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({ logo: z.any().openapi({ type: 'string', format: 'binary' }) }),
        },
      },
    },
  },
  responses: {
    200: jsonOk(BrandingSchema, 'Stored and in use'),
    ...errorResponses(401, 403, 413, 415, 422),
    503: jsonOk(ErrorResponse, 'File storage (S3) is unavailable (unavailable:storage)'),
  },
});

export const removeLogo = createRoute({
  method: 'delete',
  path: '/admin/branding/logo',
  tags: ['Admin'],
  summary: 'Remove the logo (back to the default mark)',
  middleware: guard,
  responses: { 200: jsonOk(BrandingSchema, 'Removed'), ...errorResponses(401, 403) },
});

export const logo = createRoute({
  method: 'get',
  path: '/branding/logo',
  tags: ['System'],
  summary: 'The current logo (public: the sign-in page shows it)',
  description:
    'The image as uploaded, with its sniffed type, nosniff and an ETag. With `v` equal to the current version (the Branding view gives the URL) it may be cached for a year; without it, for five minutes.',
  request: { query: VersionQuery },
  responses: {
    200: {
      description: 'The logo',
      content: {
        'image/png': { schema: z.string().openapi({ format: 'binary' }) },
        'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
        'image/webp': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    304: { description: 'Not modified (If-None-Match)' },
    ...errorResponses(404),
  },
});

export const themeCss = createRoute({
  method: 'get',
  path: '/branding/theme.css',
  tags: ['System'],
  summary: 'The stylesheet that applies the accent colour (public)',
  request: { query: VersionQuery },
  responses: {
    200: { description: 'CSS custom properties', content: { 'text/css': { schema: z.string() } } },
  },
});
