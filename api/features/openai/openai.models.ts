/**
 * The models a caller may use, under the ids OpenAI clients pass as `model`: the provider's model id
 * (`gpt-4o-mini`) when it is unique among the caller's models, else `provider/model` — both are accepted,
 * as is the registry's own id (uuid).
 */
import type { ModelSurface } from '../../../db/schema/index';
import type { Ctx } from '../../lib/ctx';
import { DerivedFrom } from '../../lib/derived';
import { AppError } from '../../lib/errors';
import { assertScope, type Scope } from '../../lib/scopes';
import type { UsableModelView } from '../models/models.schemas';
import type { ModelsService } from '../models/models.service';

export const GATEWAY_SURFACE: ModelSurface = 'chat';

export interface PublicModel {
  publicId: string;
  model: UsableModelView;
}

export function publicModels(models: UsableModelView[]): PublicModel[] {
  const count = new Map<string, number>();
  for (const m of models) count.set(m.modelId, (count.get(m.modelId) ?? 0) + 1);
  return models
    .map((model) => ({
      publicId: count.get(model.modelId) === 1 ? model.modelId : `${model.provider}/${model.modelId}`,
      model,
    }))
    .sort((a, b) => (a.publicId < b.publicId ? -1 : a.publicId > b.publicId ? 1 : 0));
}

/** Public ids of a usable list, made once per list (the list is shared until models or the actor change). */
const publicLists = new DerivedFrom<UsableModelView[], PublicModel[]>();

/** The caller's models (scope checked first: a token without it learns nothing). */
export async function usableModels(ctx: Ctx, models: ModelsService, scope: Scope): Promise<PublicModel[]> {
  assertScope(ctx.actor, scope);
  const usable = await models.listUsable(ctx, GATEWAY_SURFACE);
  return publicLists.get(usable, () => publicModels(usable));
}

/** `model` as sent by a client → one of the caller's models; 404 `not_found:models` otherwise. */
export function findPublicModel(list: PublicModel[], ref: string): PublicModel {
  const found =
    list.find((m) => m.publicId === ref) ??
    list.find((m) => m.model.id === ref || `${m.model.provider}/${m.model.modelId}` === ref);
  if (!found)
    throw new AppError(
      'not_found:models',
      `The model '${ref}' does not exist or you do not have access to it`,
      {
        details: { fields: { model: 'is not one of your models (GET /api/v1/models)' } },
      },
    );
  return found;
}
