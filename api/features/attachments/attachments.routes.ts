import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, jsonOk } from '../../lib/openapi';
import { requireCapability } from '../../middleware/rbac';
import { AttachmentView } from './attachments.schemas';

export const upload = createRoute({
  method: 'post',
  path: '/attachments',
  tags: ['Chat'],
  summary: 'Upload a chat attachment: an image (for vision models) or a document whose text is extracted',
  description:
    'multipart/form-data with one `file`. Images (PNG, JPEG, GIF, WebP) up to 10 MB come back as a data URL; documents (PDF, DOCX, TXT, MD, CSV) up to 20 MB come back as text (at most 90,000 characters). The type is sniffed from the content; 415 names what was found.',
  middleware: [requireCapability('chat:use')],
  request: {
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary' }) }),
        },
      },
    },
  },
  responses: {
    201: jsonOk(AttachmentView, 'Stored'),
    ...errorResponses(401, 403, 413, 415, 422),
  },
});
