/**
 * Images go only to models marked as reading them (capability `vision` in the model registry). A message
 * with an image for any other model is refused before anything is stored or sent — never saved and then
 * sent without the picture, nor sent to a model that would ignore or reject it.
 */
import type { StoredPart } from '../../../db/schema/index';
import { AppError } from '../../lib/errors';
import type { ModelRow } from '../models/models.repo';
import type { PromptMessage } from './upstream';

export const isImagePart = (p: StoredPart): boolean =>
  p.type === 'file' && typeof p.mediaType === 'string' && p.mediaType.startsWith('image/');

/** The refusal of an image for a model without vision, naming the field that carries it. */
export function imageRefused(
  model: Pick<ModelRow, 'displayName'>,
  field: string,
  surface: 'chat' | 'api',
): AppError {
  return new AppError(`validation:${surface}`, `${model.displayName} does not read images`, {
    details: {
      fields: {
        [field]: `contains an image, but ${model.displayName} does not read images: pick a model with vision, or remove the image`,
      },
    },
  });
}

/**
 * Throws `validation:chat` naming the field: the new message's parts (`messagesField`) when it carries an
 * image, else `modelId` when earlier messages of the conversation do.
 */
export function assertModelReadsImages(
  model: Pick<ModelRow, 'displayName' | 'capabilities'>,
  history: PromptMessage[],
  newMessage: { parts: StoredPart[]; field: string } | null,
): void {
  if (model.capabilities.includes('vision')) return;
  if (newMessage?.parts.some(isImagePart)) throw imageRefused(model, newMessage.field, 'chat');
  if (history.some((m) => m.parts.some(isImagePart))) {
    throw new AppError('validation:chat', `${model.displayName} does not read images`, {
      details: {
        fields: {
          modelId: `${model.displayName} does not read images, and this conversation has some: pick a model with vision, or start a new conversation`,
        },
      },
    });
  }
}
