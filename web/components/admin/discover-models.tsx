/**
 * "Discover models": ask a configured provider for its model list, then tick the ones to add. Models
 * already in the registry are shown but cannot be ticked.
 */
import { useFetcher } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { Badge, Button, Card, CardContent, FormField, Input, Select } from '~/components/ui';
import { FormError } from './form-error';
import { useFormResult } from './use-form-result';

interface Discovered {
  id: string;
  name: string;
  description?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  added: boolean;
}

export function DiscoverModels({ providers }: { providers: { provider: string; label: string }[] }) {
  const lister = useFetcher();
  const adder = useFetcher();
  const [provider, setProvider] = useState(providers[0]?.provider ?? '');
  const [baseUrl, setBaseUrl] = useState('');
  const listed = useFormResult(lister);
  const added = useFormResult(adder, {
    success: (d) => {
      const n = (d as { added?: string[] } | null)?.added?.length ?? 0;
      return `${n} model${n === 1 ? '' : 's'} added`;
    },
  });
  const found = (listed.data as Discovered[] | undefined) ?? null;
  // After adding, list again so the new models show as added.
  const addedData = added.data;
  const listForm = listed.ref;
  useEffect(() => {
    if (addedData && listForm.current) lister.submit(listForm.current);
  }, [addedData, listForm, lister.submit]);
  if (providers.length === 0) {
    return (
      <Card>
        <CardContent className="pt-6 text-sm text-fg-muted">
          Configure a provider below to list its models.
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardContent className="flex flex-col gap-4 pt-6">
        <lister.Form method="post" ref={listed.ref} className="flex flex-col gap-4">
          <input type="hidden" name="intent" value="discover" />
          <FormError error={listed.error} />
          <FormField label="Provider">
            <Select name="provider" value={provider} onChange={(e) => setProvider(e.target.value)}>
              {providers.map((p) => (
                <option key={p.provider} value={p.provider}>
                  {p.label}
                </option>
              ))}
            </Select>
          </FormField>
          {provider === 'openai-compatible' ? (
            <FormField
              label="Server URL"
              hint="Optional; defaults to the provider setting"
              error={listed.fieldErrors.baseUrl}
            >
              <Input name="baseUrl" type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
            </FormField>
          ) : null}
          <div>
            <Button type="submit" variant="secondary" loading={listed.busy}>
              List models
            </Button>
          </div>
        </lister.Form>
        {found ? (
          <adder.Form method="post" ref={added.ref} className="flex flex-col gap-3" aria-live="polite">
            <input type="hidden" name="intent" value="add-discovered" />
            <input type="hidden" name="provider" value={provider} />
            {provider === 'openai-compatible' && baseUrl ? (
              <input type="hidden" name="baseUrl" value={baseUrl} />
            ) : null}
            <FormError error={added.error} />
            <fieldset>
              <legend className="mb-2 text-sm font-medium">{found.length} models found</legend>
              <ul className="max-h-72 divide-y divide-border overflow-y-auto rounded-md border border-border">
                {found.map((m) => (
                  <li key={m.id}>
                    <label className="flex cursor-pointer items-center gap-3 px-3 py-2 text-sm hover:bg-surface-muted">
                      <input
                        type="checkbox"
                        name="modelIds"
                        value={m.id}
                        disabled={m.added}
                        className="size-4 accent-primary"
                      />
                      <span className="min-w-0 flex-1">
                        <span className="block truncate font-mono text-xs">{m.id}</span>
                        {m.name !== m.id ? (
                          <span className="block truncate text-fg-muted">{m.name}</span>
                        ) : null}
                      </span>
                      {m.added ? <Badge>Added</Badge> : null}
                      {/* What the provider says about the model, used when it is added. */}
                      <input type="hidden" name={`name:${m.id}`} value={m.name} />
                      {m.contextWindow ? (
                        <input type="hidden" name={`context:${m.id}`} value={m.contextWindow} />
                      ) : null}
                      {m.maxOutputTokens ? (
                        <input type="hidden" name={`maxOutput:${m.id}`} value={m.maxOutputTokens} />
                      ) : null}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
            <div>
              <Button type="submit" loading={added.busy}>
                Add selected
              </Button>
            </div>
          </adder.Form>
        ) : null}
      </CardContent>
    </Card>
  );
}
