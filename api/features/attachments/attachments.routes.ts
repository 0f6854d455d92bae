import { createRoute, z } from '@hono/zod-openapi';
import { ErrorResponse, errorResponses, IdParam, jsonOk } from '../../lib/openapi';
import { requireCapability } from '../../middleware/rbac';
import { AttachmentView } from './attachments.schemas';

export const upload = createRoute({
  method: 'post',
  path: '/attachments',
  tags: ['Chat'],
  summary: 'Upload a chat attachment: an image (for vision models) or a document whose text is extracted',
  description:
    'multipart/form-data with one `file`. Images (PNG, JPEG, GIF, WebP) up to 10 MB come back as a data URL; documents (PDF, DOCX, XLSX, PPTX up to 20–30 MB; TXT, MD, CSV, JSON up to 20 MB; HTML up to 10 MB) come back as text (at most 90,000 characters; pages, slides and sheets labelled). Documents are read off the event loop within limits: a decompression or parser bomb (too much unpacked data, too many pages or parts, too slow, too much memory) is refused with 422, nothing stored; 503 when too many documents are being read at once. The type is sniffed from the content; 415 names what was found. The file is kept (DATA_DIR or S3) for the `attachments.retention_days` setting (default 30) and can be downloaded by its owner at `downloadUrl`.',
  middleware: [requireCapability('chat:use')],
  request: {
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({
            file: z.any().openapi({ type: 'string', format: 'binary' }),
            chatId: z.uuid().optional().openapi({
              description:
                "The chat (useChat id / conversation id) the file is for: a document too large for the prompt is then indexed into that chat's private knowledge repository (see `knowledge`)",
            }),
          }),
        },
      },
    },
  },
  responses: {
    201: jsonOk(AttachmentView, 'Stored'),
    ...errorResponses(401, 403, 413, 415, 422),
    503: jsonOk(ErrorResponse, 'File storage (S3) is unavailable (unavailable:storage)'),
  },
});

export const download = createRoute({
  method: 'get',
  path: '/attachments/{id}',
  tags: ['Chat'],
  summary: 'Download one of your attachments (images inline, documents as a file)',
  description:
    'Only the person who uploaded it may download it; anyone else gets 404. The content type is the one detected at upload.',
  middleware: [requireCapability('chat:use')],
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The stored file',
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errorResponses(401, 403, 404, 422),
    503: jsonOk(ErrorResponse, 'File storage (S3) is unavailable (unavailable:storage)'),
  },
});

export const remove = createRoute({
  method: 'delete',
  path: '/attachments/{id}',
  tags: ['Chat'],
  summary: 'Delete one of your attachments (the stored file and its record)',
  middleware: [requireCapability('chat:use')],
  request: { params: IdParam },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses(401, 403, 404, 422),
    503: jsonOk(ErrorResponse, 'File storage (S3) is unavailable (unavailable:storage)'),
  },
});
