/**
 * Chat attachments. A file is read by the document extractor (sniffed, size-checked, documents' text
 * extracted off the event loop within its limits), stored in the object store
 * (DATA_DIR/uploads or S3) under `<user>/<id>.<ext>` and recorded in chat_attachments, then answered in the
 * form chat sends on: images as a data URL (an AI SDK file part for vision models), documents as their
 * extracted text (a text part), so /api/chat needs nothing special for either. A document too large for
 * the prompt, uploaded for a chat (`chatId`), is indexed into that chat's private knowledge repository
 * instead and answered without text (knowledge.chat.ts). Only the owner may download or delete a stored
 * file; the attachment-retention job deletes them by age.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AttachmentStorage } from '../../../db/schema/index';
import type { DocumentExtractor } from '../../extract/extractor';
import { assertCan, assertSignedIn } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import type { ObjectStore, ObjectStores } from '../../lib/object-store';
import type { ChatKnowledge } from '../knowledge/knowledge.chat';
import { type AttachmentKind, readAttachment } from './attachments.extract';
import {
  type AttachmentRow,
  deleteAttachment,
  findOwnAttachment,
  insertAttachment,
  listAttachmentsBefore,
} from './attachments.repo';
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

const PRUNE_BATCH = 200;

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

export const downloadUrlOf = (id: string) => `/api/attachments/${id}`;

/** A stored file as the download route sends it. */
export interface AttachmentFile {
  filename: string;
  mediaType: string;
  kind: AttachmentKind;
  bytes: Uint8Array;
}

const notFound = () => new AppError('not_found:attachments', 'No such attachment');

export class AttachmentsService {
  constructor(
    private readonly deps: {
      stores: ObjectStores;
      extractor: DocumentExtractor;
      chatKnowledge?: Pick<ChatKnowledge, 'isLarge' | 'canIndex' | 'indexAttachment'>;
    },
  ) {}

  async upload(
    ctx: Ctx,
    input: { filename: string; bytes: Uint8Array; chatId?: string },
  ): Promise<AttachmentView> {
    assertCan(ctx.actor, 'chat:use');
    assertSignedIn(ctx.actor);
    const filename = cleanFilename(input.filename);
    const size = input.bytes.byteLength;
    // Read before storing: a refused file (too large, damaged, a bomb) leaves no object or row behind.
    const { kind, mediaType, text, truncated } = await readAttachment(
      this.deps.extractor,
      filename,
      input.bytes,
    );
    const id = randomUUID();
    const url =
      kind === 'image' ? `data:${mediaType};base64,${Buffer.from(input.bytes).toString('base64')}` : null;
    const store = this.deps.stores.primary;
    const storageKey = `${ctx.actor.id}/${id}.${EXTENSIONS[mediaType] ?? 'txt'}`;
    await store.put(storageKey, input.bytes, { contentType: mediaType });
    try {
      await insertAttachment(ctx.db, {
        id,
        userId: ctx.actor.id,
        storage: store.driver,
        storageKey,
        filename,
        mediaType,
        kind,
        sizeBytes: size,
        sha256: createHash('sha256').update(input.bytes).digest('hex'),
      });
    } catch (err) {
      await store.delete(storageKey).catch((cause) => {
        ctx.log.warn(
          { err: cause, attachmentId: id },
          'could not remove the object of an unrecorded attachment',
        );
      });
      throw err;
    }
    ctx.log.info({ attachmentId: id, kind, mediaType, size, storage: store.driver }, 'attachment stored');
    const view = {
      id,
      kind,
      filename,
      mediaType,
      size,
      url,
      text,
      truncated,
      downloadUrl: downloadUrlOf(id),
    };
    const chat = this.deps.chatKnowledge;
    if (input.chatId && text !== null && chat?.canIndex(ctx) && (await chat.isLarge(ctx, text, truncated))) {
      const knowledge = await chat.indexAttachment(ctx, {
        chatId: input.chatId,
        filename,
        mediaType,
        bytes: input.bytes,
      });
      ctx.log.info({ attachmentId: id, ...knowledge }, 'large attachment indexed for its chat');
      return { ...view, text: null, truncated: false, knowledge };
    }
    return { ...view, knowledge: null };
  }

  /** The owner's stored file; 404 for anyone else, and when the object is gone. */
  async download(ctx: Ctx, id: string): Promise<AttachmentFile> {
    const row = await this.own(ctx, id);
    const bytes = await this.storeOf(row)?.get(row.storageKey);
    if (!bytes) {
      ctx.log.warn({ attachmentId: id, storage: row.storage }, 'attachment row without its stored object');
      throw new AppError('not_found:attachments', 'This attachment is no longer stored');
    }
    return { filename: row.filename, mediaType: row.mediaType, kind: row.kind, bytes };
  }

  /** Deletes the owner's attachment: the object first (a store failure leaves the row to retry), then the row. */
  async remove(ctx: Ctx, id: string): Promise<void> {
    const row = await this.own(ctx, id);
    await this.deleteStored(ctx, row);
    ctx.log.info({ attachmentId: id }, 'attachment deleted');
  }

  /**
   * Deletes attachments (object, then row) created more than `days` days ago; returns how many went.
   * Rows of a store this deployment no longer has configured are left alone. A store failure stops the run
   * (the job retries later) rather than skipping rows.
   */
  async prune(ctx: Ctx, days: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    const storages: AttachmentStorage[] = this.deps.stores.s3 ? ['local', 's3'] : ['local'];
    let deleted = 0;
    for (;;) {
      const rows = await listAttachmentsBefore(ctx.db, { cutoff, storages, limit: PRUNE_BATCH });
      for (const row of rows) {
        await this.deleteStored(ctx, row);
        deleted++;
      }
      if (rows.length < PRUNE_BATCH) return deleted;
    }
  }

  private async own(ctx: Ctx, id: string): Promise<AttachmentRow> {
    assertCan(ctx.actor, 'chat:use');
    assertSignedIn(ctx.actor);
    const row = await findOwnAttachment(ctx.db, id, ctx.actor.id);
    if (!row) throw notFound();
    return row;
  }

  private storeOf(row: AttachmentRow): ObjectStore | null {
    return this.deps.stores[row.storage];
  }

  private async deleteStored(ctx: Ctx, row: AttachmentRow): Promise<void> {
    const store = this.storeOf(row);
    if (store) await store.delete(row.storageKey);
    else
      ctx.log.warn(
        { attachmentId: row.id, storage: row.storage },
        'attachment store not configured; object left',
      );
    await deleteAttachment(ctx.db, row.id);
  }
}
