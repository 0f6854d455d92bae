/** The registry table (with an inline one-token test per model) and the "add a model" form. */
import { Link, useFetcher } from '@remix-run/react';
import { useState } from 'react';
import {
  Badge,
  Button,
  Card,
  CardContent,
  FormField,
  Input,
  Select,
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui';
import { formatPricePair } from '~/lib/format';
import { PROVIDER_OPTIONS, providerLabel } from '~/lib/models-meta';
import { FormError } from './form-error';
import { type ModelTestAnswer, ModelTestResult } from './model-test-result';
import { useFormResult } from './use-form-result';

interface ModelRow {
  id: string;
  provider: string;
  modelId: string;
  displayName: string;
  active: boolean;
  surfaces: string[];
  inputPricePerMillion: string | null;
  outputPricePerMillion: string | null;
  restricted: boolean;
}

export function ModelsTable({ models }: { models: ModelRow[] }) {
  return (
    <Table>
      <TableCaption className="sr-only">Registered models</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>Model</TableHead>
          <TableHead>Surfaces</TableHead>
          <TableHead>Price (input / output)</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {models.length === 0 ? (
          <TableEmpty colSpan={5} title="No models yet">
            <a href="#add" className="font-medium text-link underline">
              Add one by id
            </a>
            , or{' '}
            <a href="#discover" className="font-medium text-link underline">
              discover the models your provider offers
            </a>
            .
          </TableEmpty>
        ) : (
          models.map((m) => <ModelItem key={m.id} model={m} />)
        )}
      </TableBody>
    </Table>
  );
}

function ModelItem({ model }: { model: ModelRow }) {
  const fetcher = useFetcher();
  const { busy, error, data } = useFormResult(fetcher);
  return (
    <TableRow>
      <TableCell className="align-top">
        <Link to={model.id} className="font-medium text-link underline-offset-4 hover:underline">
          {model.displayName}
        </Link>
        <div className="text-xs text-fg-muted">
          {providerLabel(model.provider)} · <span className="font-mono">{model.modelId}</span>
        </div>
        <div aria-live="polite">
          {data ? <ModelTestResult result={data as ModelTestAnswer} /> : null}
          {error ? <p className="mt-1 text-sm text-danger-soft-fg">{error}</p> : null}
        </div>
      </TableCell>
      <TableCell className="align-top">
        <div className="flex flex-wrap gap-1">
          {model.surfaces.map((s) => (
            <Badge key={s}>{s}</Badge>
          ))}
        </div>
      </TableCell>
      <TableCell className="whitespace-nowrap align-top">
        {formatPricePair(model.inputPricePerMillion, model.outputPricePerMillion)}
      </TableCell>
      <TableCell className="align-top">
        <div className="flex flex-wrap gap-1">
          <Badge variant={model.active ? 'success' : 'neutral'}>{model.active ? 'Active' : 'Inactive'}</Badge>
          {model.restricted ? <Badge variant="warning">Restricted</Badge> : null}
        </div>
      </TableCell>
      <TableCell className="align-top">
        <div className="flex justify-end gap-2">
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="test" />
            <input type="hidden" name="id" value={model.id} />
            <Button type="submit" variant="secondary" size="sm" loading={busy}>
              Test<span className="sr-only"> {model.displayName}</span>
            </Button>
          </fetcher.Form>
          <Button asChild variant="ghost" size="sm">
            <Link to={model.id}>
              Edit<span className="sr-only"> {model.displayName}</span>
            </Link>
          </Button>
        </div>
      </TableCell>
    </TableRow>
  );
}

export function AddModelForm({ providers }: { providers: { provider: string; label: string }[] }) {
  const fetcher = useFetcher();
  const [provider, setProvider] = useState(providers[0]?.provider ?? 'openai');
  const { ref, busy, error, fieldErrors } = useFormResult(fetcher, {
    success: 'Model added',
    resetOnSuccess: true,
  });
  return (
    <Card>
      <CardContent className="pt-6">
        <fetcher.Form method="post" ref={ref} className="flex flex-col gap-4">
          <input type="hidden" name="intent" value="create" />
          <FormError error={error && !Object.keys(fieldErrors).length ? error : null} />
          <FormField label="Provider" error={fieldErrors.provider} required>
            <Select name="provider" value={provider} onChange={(e) => setProvider(e.target.value)}>
              {PROVIDER_OPTIONS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </Select>
          </FormField>
          <FormField
            label="Model id"
            hint="e.g. gpt-4.1-mini, gemini-2.5-flash, llama3.2"
            error={fieldErrors.modelId}
            required
          >
            <Input name="modelId" autoComplete="off" />
          </FormField>
          <FormField
            label="Display name"
            hint="What people see in the model picker"
            error={fieldErrors.displayName}
          >
            <Input name="displayName" autoComplete="off" />
          </FormField>
          {provider === 'openai-compatible' ? (
            <FormField
              label="Server URL"
              hint="Optional: this model's own server, e.g. http://ollama.internal:11434/v1"
              error={fieldErrors.baseUrl}
            >
              <Input name="baseUrl" type="url" />
            </FormField>
          ) : null}
          <div>
            <Button type="submit" loading={busy}>
              Add model
            </Button>
          </div>
        </fetcher.Form>
      </CardContent>
    </Card>
  );
}
