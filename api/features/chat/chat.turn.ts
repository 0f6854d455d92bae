/**
 * Where a chat turn goes in the message tree, from the trigger, messageId and the last client message: a new
 * message under the current leaf (or the client's branch), an edit (a sibling of the edited user message),
 * or a regenerate (a sibling of the assistant answer). Reads only; the turn is written by chat.service.ts.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StoredPart } from '../../../db/schema/index';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { isUuid } from '../../lib/ids';
import { type ChatRequest, UserPart } from './chat.schemas';
import type { ConversationRecord } from './conversations.repo';
import { findMessage } from './messages.repo';

const UserParts = z.array(UserPart).min(1, 'must contain text or a file').max(50);

export interface Turn {
  /** The message the answer hangs under (the new or edited user message, or the regenerated one's parent). */
  parentId: string | null;
  /** Set when this turn adds a user message (send, edit). */
  userMessage?: { id: string; parentId: string | null; parts: StoredPart[] };
}

const notInConversation = (field: string) =>
  new AppError('validation:chat', 'That message is not in this conversation', {
    details: { fields: { [field]: 'not a message of this conversation' } },
  });

/** Where the turn goes in the tree, from the trigger, messageId and the last client message. */
export async function resolveTurn(
  ctx: Ctx,
  conv: ConversationRecord | undefined,
  input: z.output<typeof ChatRequest>,
): Promise<Turn> {
  const last = input.messages.at(-1);
  if (input.trigger === 'regenerate-message') {
    if (!conv) throw new AppError('not_found:chat', 'No such conversation');
    const candidates = [input.messageId, last?.id, conv.currentLeafId].filter(isUuid);
    for (const id of candidates) {
      const target = await findMessage(ctx.db, conv.id, id);
      if (!target) {
        if (id === input.messageId) throw notInConversation('messageId');
        continue;
      }
      const parentId = target.role === 'assistant' ? target.parentId : target.id;
      if (parentId) return { parentId };
    }
    throw new AppError('validation:chat', 'There is no message to regenerate', {
      details: { fields: { messageId: 'nothing to regenerate' } },
    });
  }

  if (last?.role !== 'user') {
    throw new AppError('validation:chat', 'The last message must be the user message to send', {
      details: { fields: { messages: 'the last message must have role user' } },
    });
  }
  const field = `messages.${input.messages.length - 1}.parts`;
  const parsed = UserParts.safeParse(last.parts);
  if (!parsed.success) {
    throw new AppError('validation:chat', `Invalid ${field}`, {
      details: { fields: { [field]: parsed.error.issues[0]?.message ?? 'is invalid' } },
    });
  }
  const parts = parsed.data as StoredPart[];
  if (!parts.some((p) => p.type === 'file' || (p.type === 'text' && String(p.text).trim() !== ''))) {
    throw new AppError('validation:chat', 'The message is empty', {
      details: { fields: { [field]: 'is empty' } },
    });
  }

  let parentId: string | null = conv?.currentLeafId ?? null;
  if (input.messageId) {
    // Edit and resend: a new user message beside the edited one; both branches stay.
    const edited =
      conv && isUuid(input.messageId) ? await findMessage(ctx.db, conv.id, input.messageId) : undefined;
    if (edited?.role !== 'user') throw notInConversation('messageId');
    parentId = edited.parentId;
  } else {
    const prev = input.messages.at(-2);
    // The client's branch decides the parent when it names one of our messages; else the current leaf
    // (clients may send only the new message).
    if (conv && prev && isUuid(prev.id) && (await findMessage(ctx.db, conv.id, prev.id))) parentId = prev.id;
  }
  // A fresh UUID from the client (useChat with generateId: crypto.randomUUID) becomes the id; a reused one
  // fails the first write (see stream()). An edit always gets a new id: the edited message stays.
  const reuse = !input.messageId && isUuid(last.id);
  return { parentId, userMessage: { id: reuse ? last.id : randomUUID(), parentId, parts } };
}
