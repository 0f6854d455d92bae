/** One provider's status and credential settings, as a form (secrets write-only). */
import { useFetcher } from '@remix-run/react';
import { Badge, Button, Card, CardContent, CardHeader, CardTitle, FormField, Input } from '~/components/ui';
import type { ProviderSetting } from '~/lib/provider-settings.server';
import { FormError } from './form-error';
import { SecretInput } from './secret-input';
import { useFormResult } from './use-form-result';

export interface ProviderStatus {
  provider: string;
  label: string;
  configured: boolean;
  missing: string[];
}

export function ProviderCredentials({
  status,
  settings,
}: {
  status: ProviderStatus;
  settings: ProviderSetting[];
}) {
  const fetcher = useFetcher();
  const { ref, busy, error } = useFormResult(fetcher, {
    success: (d) => {
      const n = (d as { changed?: string[] } | null)?.changed?.length ?? 0;
      return n ? `${status.label} credentials saved` : 'Nothing changed';
    },
    // Clears typed secrets from the fields; the others reset to their newly saved values.
    resetOnSuccess: true,
  });
  const headingId = `provider-${status.provider}`;
  return (
    <Card role="region" aria-labelledby={headingId}>
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle as="h3" id={headingId}>
          {status.label}
        </CardTitle>
        <Badge variant={status.configured ? 'success' : 'warning'}>
          {status.configured ? 'Configured' : 'Not configured'}
        </Badge>
      </CardHeader>
      <CardContent>
        <fetcher.Form method="post" ref={ref} className="flex flex-col gap-4">
          <input type="hidden" name="intent" value="credentials" />
          <input type="hidden" name="provider" value={status.provider} />
          <FormError error={error} />
          {status.missing.length ? (
            <p className="text-sm text-fg-muted">
              Needed:{' '}
              {status.missing.map((k) => (
                <code key={k} className="mr-1 font-mono text-xs">
                  {k}
                </code>
              ))}
            </p>
          ) : null}
          {settings.map((s) => (
            <FormField
              key={s.key}
              label={s.description ?? s.key}
              hint={
                <span>
                  <code className="font-mono text-xs">{s.key}</code>
                  {s.source === 'environment'
                    ? ' · set by the server environment; a value here overrides it'
                    : ''}
                </span>
              }
            >
              {s.secret ? (
                <SecretInput
                  name={`value:${s.key}`}
                  isSet={s.isSet}
                  clearable={s.source === 'database'}
                  clearName={`clear:${s.key}`}
                />
              ) : (
                <Input name={`value:${s.key}`} defaultValue={s.value ?? ''} autoComplete="off" />
              )}
            </FormField>
          ))}
          <div>
            <Button type="submit" variant="secondary" loading={busy}>
              Save {status.label}
            </Button>
          </div>
        </fetcher.Form>
      </CardContent>
    </Card>
  );
}
