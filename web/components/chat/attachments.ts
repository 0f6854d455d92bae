/**
 * Chat attachments in the browser: upload to POST /api/attachments, then turn the answers into UI message
 * parts — images as AI SDK file parts (data URL), documents as a text part wrapped in <document name="…">
 * so the model sees the text and the UI can show a chip instead of the whole document. A document too long
 * for the prompt, uploaded with the chat's id, comes back indexed into the chat's private knowledge
 * repository (`knowledge`): its part is then only a note, and each turn retrieves cited passages from it.
 */
import type { AttachmentView } from '../../../api/features/attachments/attachments.schemas';
import { ApiError, parseApiError } from './api';

export type Attachment = AttachmentView;

export const ACCEPT =
  'image/png,image/jpeg,image/gif,image/webp,.pdf,.docx,.xlsx,.pptx,.txt,.md,.markdown,.csv,.tsv,.json,.html,.htm';

export async function uploadAttachment(file: File, chatId?: string): Promise<Attachment> {
  const form = new FormData();
  form.set('file', file, file.name);
  if (chatId) form.set('chatId', chatId);
  const response = await fetch('/api/attachments', { method: 'POST', body: form });
  if (!response.ok) {
    const text = await response.text();
    throw (
      parseApiError(text, response.status) ??
      new ApiError(response.status, 'error', `${file.name} could not be uploaded`)
    );
  }
  return (await response.json()) as Attachment;
}

// The id (of the stored file, for the download link) came later: older messages have none.
const DOC_OPEN =
  /^<document name="([^"]*)"(?: id="([0-9a-f-]{36})")?( truncated="true")?( indexed="true")?>\n/;

/** What the model reads in place of an indexed document's text. */
export const INDEXED_NOTE =
  '[This document is too long to include whole: it is indexed, and the passages relevant to each question are given as numbered sources.]';

export function documentPart(a: Attachment): { type: 'text'; text: string } {
  const name = a.filename.replace(/"/g, '');
  return {
    type: 'text',
    text: a.knowledge
      ? `<document name="${name}" id="${a.id}" indexed="true">\n${INDEXED_NOTE}\n</document>`
      : `<document name="${name}" id="${a.id}"${a.truncated ? ' truncated="true"' : ''}>\n${a.text ?? ''}\n</document>`,
  };
}

/** The document name when a text part is an attached document, else null. */
export function documentName(text: string): string | null {
  return DOC_OPEN.exec(text)?.[1] ?? null;
}

/** Where an attached document's stored file downloads from, when the part names it. */
export function documentUrl(text: string): string | null {
  const id = DOC_OPEN.exec(text)?.[2];
  return id ? `/api/attachments/${id}` : null;
}

export function attachmentParts(attachments: Attachment[]) {
  return attachments.map((a) =>
    a.kind === 'image'
      ? // The download route, not the data URL: the stored message stays small; the server reads the file
        // when it calls the model (api/features/chat/attachment-refs.ts).
        { type: 'file' as const, mediaType: a.mediaType, url: a.downloadUrl, filename: a.filename }
      : documentPart(a),
  );
}
