/**
 * The embedding model of a repository: the choice when creating one, and the change on its page, which
 * re-embeds every item in the background while the current index keeps answering (docs/decisions/024).
 */
import { Form } from '@remix-run/react';
import { Alert, Button, FormField, Select } from '~/components/ui';
import type { RepositoryView } from '../../../api/features/knowledge/knowledge.schemas';

export interface EmbeddingModelOption {
  id: string;
  name: string;
  dimensions: number;
}

/** The lexical embedder (value "") and the registry's active embedding models. */
export function EmbeddingModelSelect({
  models,
  defaultValue,
}: {
  models: EmbeddingModelOption[];
  defaultValue: string;
}) {
  return (
    <Select name="embeddingModelId" defaultValue={defaultValue}>
      <option value="">Lexical (built-in)</option>
      {models.map((m) => (
        <option key={m.id} value={m.id}>
          {m.name} ({m.dimensions} dimensions)
        </option>
      ))}
    </Select>
  );
}

export function EmbeddingForm({
  repository,
  models,
  busy,
}: {
  repository: RepositoryView;
  models: EmbeddingModelOption[];
  busy: boolean;
}) {
  const pending = repository.reembedding;
  const pendingName = pending
    ? pending.id === null
      ? 'Lexical (built-in)'
      : (models.find((m) => m.id === pending.id)?.name ?? 'the new model')
    : null;
  return (
    <Form method="post" className="flex max-w-xl flex-col gap-4">
      {pendingName ? (
        <Alert>
          Re-embedding with {pendingName}: searches use {repository.embeddingModel.name} until every item is
          done.
        </Alert>
      ) : null}
      {repository.reembedError ? <Alert variant="danger">{repository.reembedError}</Alert> : null}
      <FormField
        label="Embedding model"
        hint="Changing it embeds every item again in the background; the current index answers until all are done."
      >
        <EmbeddingModelSelect
          models={models}
          defaultValue={pending ? (pending.id ?? '') : (repository.embeddingModel.id ?? '')}
        />
      </FormField>
      <div>
        <Button type="submit" name="intent" value="embedding" variant="secondary" loading={busy}>
          Change embedding model
        </Button>
      </div>
    </Form>
  );
}
