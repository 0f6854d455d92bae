/**
 * Images in chat messages are stored as references to their attachment (`/api/attachments/<id>`), not as
 * data URLs: messages stay small, and the browser loads the image from the download route. Before a model
 * call, the references in the prompt's history are replaced by the stored bytes, read as the person who
 * owns the conversation; an attachment that is gone (retention) or not theirs becomes a short note.
 */
import type { StoredPart } from '../../../db/schema/index';
import type { Ctx } from '../../lib/ctx';
import { isAppError } from '../../lib/errors';
import { UUID_SOURCE } from '../../lib/ids';
import type { AttachmentsService } from '../attachments/attachments.service';
import type { PromptMessage } from './upstream';

const REF = new RegExp(`^/api/attachments/(${UUID_SOURCE})$`, 'i');

export const attachmentRefId = (url: unknown): string | null =>
  typeof url === 'string' ? (REF.exec(url)?.[1] ?? null) : null;

async function inlinePart(
  ctx: Ctx,
  attachments: Pick<AttachmentsService, 'download'>,
  part: StoredPart,
): Promise<StoredPart> {
  const id = part.type === 'file' ? attachmentRefId(part.url) : null;
  if (!id) return part;
  try {
    const file = await attachments.download(ctx, id);
    return { ...part, url: `data:${file.mediaType};base64,${Buffer.from(file.bytes).toString('base64')}` };
  } catch (err) {
    if (!isAppError(err) || err.status !== 404) throw err;
    const name = typeof part.filename === 'string' ? ` "${part.filename}"` : '';
    return { type: 'text', text: `[The attached file${name} is no longer available.]` };
  }
}

/** The history with attachment references replaced by their contents (unchanged when there are none). */
export async function inlineAttachmentRefs(
  ctx: Ctx,
  attachments: Pick<AttachmentsService, 'download'>,
  history: PromptMessage[],
): Promise<PromptMessage[]> {
  if (!history.some((m) => m.parts.some((p) => p.type === 'file' && attachmentRefId(p.url)))) return history;
  return Promise.all(
    history.map(async (m) => ({
      ...m,
      parts: await Promise.all(m.parts.map((p) => inlinePart(ctx, attachments, p))),
    })),
  );
}
