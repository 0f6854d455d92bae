/**
 * Chat attachments. A file is sniffed, size-checked, stored under DATA_DIR/uploads/<user>/ and answered in
 * the form chat sends on: images as a data URL (an AI SDK file part for vision models), documents as their
 * extracted text (a text part), so /api/chat needs nothing special for either.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertCan, assertSignedIn } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { assertSize, extractText, LIMITS, sniffType } from './attachments.extract';
import type { AttachmentView } from './attachments.schemas';

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/markdown': 'md',
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/json': 'json',
};

/** Keeps a readable name without path separators or control characters. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && !'"<>'.includes(ch))
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned || 'file';
}

export class AttachmentsService {
  constructor(private readonly deps: { dataDir: string }) {}

  async upload(ctx: Ctx, input: { filename: string; bytes: Uint8Array }): Promise<AttachmentView> {
    assertCan(ctx.actor, 'chat:use');
    assertSignedIn(ctx.actor);
    const filename = cleanFilename(input.filename);
    const { kind, mediaType } = await sniffType(filename, input.bytes);
    assertSize(filename, kind, input.bytes.byteLength);
    const id = crypto.randomUUID();
    const dir = path.join(this.deps.dataDir, 'uploads', ctx.actor.id);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const stored = path.join(dir, `${id}.${EXTENSIONS[mediaType] ?? 'txt'}`);
    await writeFile(stored, input.bytes, { mode: 0o600 });
    ctx.log.info({ attachmentId: id, kind, mediaType, size: input.bytes.byteLength }, 'attachment stored');
    if (kind === 'image') {
      return {
        id,
        kind,
        filename,
        mediaType,
        size: input.bytes.byteLength,
        url: `data:${mediaType};base64,${Buffer.from(input.bytes).toString('base64')}`,
        text: null,
        truncated: false,
      };
    }
    const full = (await extractText(filename, mediaType, input.bytes)).trim();
    const truncated = full.length > LIMITS.documentChars;
    return {
      id,
      kind,
      filename,
      mediaType,
      size: input.bytes.byteLength,
      url: null,
      text: truncated ? full.slice(0, LIMITS.documentChars) : full,
      truncated,
    };
  }
}
