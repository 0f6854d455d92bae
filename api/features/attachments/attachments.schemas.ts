/** The attachment contract shared by the service and the route. */
import { z } from '@hono/zod-openapi';

export const AttachmentView = z
  .object({
    id: z.uuid(),
    kind: z.enum(['image', 'document']),
    filename: z.string(),
    mediaType: z.string().openapi({ description: 'Detected from the content, not the name' }),
    size: z.number().int(),
    url: z
      .string()
      .nullable()
      .openapi({ description: 'Images: a data URL to send as an AI SDK file part; null for documents' }),
    text: z
      .string()
      .nullable()
      .openapi({ description: 'Documents: the extracted text to give the model; null for images' }),
    truncated: z.boolean().openapi({ description: 'The text was cut to the per-document limit' }),
    knowledge: z
      .object({
        repositoryId: z.uuid(),
        itemId: z.uuid(),
        status: z.enum(['queued', 'processing', 'ready', 'failed']),
      })
      .nullable()
      .openapi({
        description:
          "Set when the document was too large for the prompt (setting knowledge.chat_attachment_token_limit) and was indexed into the chat's private knowledge repository instead (upload with chatId, needs knowledge:use): `text` is then null, each turn of that chat retrieves cited passages from it, and its progress is at GET /api/v1/repositories/{repositoryId}/items/{itemId}",
      }),
    downloadUrl: z
      .string()
      .openapi({ description: 'Where the owner downloads the stored file (GET), or deletes it (DELETE)' }),
  })
  .openapi('Attachment');
export type AttachmentView = z.infer<typeof AttachmentView>;
