/** The model details form: names, limits, prices, capabilities, surfaces and whether it is offered. */
import { useFetcher } from '@remix-run/react';
import { Button, Card, CardContent, FormField, Input, Textarea } from '~/components/ui';
import { CAPABILITY_OPTIONS, SURFACE_OPTIONS } from '~/lib/models-meta';
import { FormError } from './form-error';
import { useFormResult } from './use-form-result';

interface EditableModel {
  provider: string;
  displayName: string;
  description: string;
  capabilities: string[];
  surfaces: string[];
  contextWindow: number | null;
  maxOutputTokens: number | null;
  inputPricePerMillion: string | null;
  outputPricePerMillion: string | null;
  cachedInputPricePerMillion: string | null;
  active: boolean;
  baseUrl: string | null;
}

const PRICE_FIELDS = [
  ['inputPricePerMillion', 'Input price'],
  ['outputPricePerMillion', 'Output price'],
  ['cachedInputPricePerMillion', 'Cached input price'],
] as const;

function Checklist({
  legend,
  name,
  options,
  selected,
  error,
}: {
  legend: string;
  name: string;
  options: readonly { id: string; label: string }[];
  selected: string[];
  error?: string;
}) {
  return (
    <fieldset>
      <legend className="mb-2 text-sm font-medium">{legend}</legend>
      <div className="flex flex-wrap gap-x-6 gap-y-2">
        {options.map((o) => (
          <label key={o.id} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name={name}
              value={o.id}
              defaultChecked={selected.includes(o.id)}
              className="size-4 accent-primary"
            />
            {o.label}
          </label>
        ))}
      </div>
      {error ? <p className="mt-1 text-sm font-medium text-danger-soft-fg">{error}</p> : null}
    </fieldset>
  );
}

export function ModelEditForm({ model }: { model: EditableModel }) {
  const fetcher = useFetcher();
  const { ref, busy, error, fieldErrors: fe } = useFormResult(fetcher, { success: 'Model saved' });
  const priceHint = 'USD per 1M tokens';
  return (
    <Card>
      <CardContent className="pt-6">
        <fetcher.Form method="post" ref={ref} className="flex flex-col gap-5">
          <input type="hidden" name="intent" value="update" />
          <FormError error={error && !Object.keys(fe).length ? error : null} />
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField label="Display name" error={fe.displayName} required>
              <Input name="displayName" defaultValue={model.displayName} maxLength={120} />
            </FormField>
            {model.provider === 'openai-compatible' ? (
              <FormField label="Server URL" hint="Empty = the provider setting" error={fe.baseUrl}>
                <Input name="baseUrl" type="url" defaultValue={model.baseUrl ?? ''} />
              </FormField>
            ) : null}
          </div>
          <FormField
            label="Description"
            hint="Helps people choose in the model picker"
            error={fe.description}
          >
            <Textarea name="description" rows={2} defaultValue={model.description} maxLength={2000} />
          </FormField>
          <div className="grid gap-4 sm:grid-cols-3">
            {PRICE_FIELDS.map(([name, label]) => (
              <FormField key={name} label={label} hint={priceHint} error={fe[name]}>
                <Input name={name} inputMode="decimal" defaultValue={model[name] ?? ''} />
              </FormField>
            ))}
            <FormField label="Context window" hint="Tokens" error={fe.contextWindow}>
              <Input name="contextWindow" inputMode="numeric" defaultValue={model.contextWindow ?? ''} />
            </FormField>
            <FormField label="Max output" hint="Tokens per answer" error={fe.maxOutputTokens}>
              <Input name="maxOutputTokens" inputMode="numeric" defaultValue={model.maxOutputTokens ?? ''} />
            </FormField>
          </div>
          <Checklist
            legend="Offered in"
            name="surfaces"
            options={SURFACE_OPTIONS}
            selected={model.surfaces}
            error={fe.surfaces}
          />
          <Checklist
            legend="Capabilities"
            name="capabilities"
            options={CAPABILITY_OPTIONS}
            selected={model.capabilities}
            error={fe.capabilities}
          />
          <label className="flex items-center gap-3 text-sm font-medium">
            <input
              type="checkbox"
              name="active"
              defaultChecked={model.active}
              className="size-4 accent-primary"
            />
            Active (people can pick it)
          </label>
          <div>
            <Button type="submit" loading={busy}>
              Save model
            </Button>
          </div>
        </fetcher.Form>
      </CardContent>
    </Card>
  );
}
