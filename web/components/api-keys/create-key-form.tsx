/**
 * The form that creates a personal API key: a name, the scopes (only those the person's roles back; `*`
 * for all of them, now and as roles grow), an optional expiry date and an optional lower rate limit.
 * The service checks everything again; its answer (including the 10-active-keys limit) is shown here.
 */
import type { FetcherWithComponents } from '@remix-run/react';
import { useState } from 'react';
import { FormError } from '~/components/admin/form-error';
import { useFormResult } from '~/components/admin/use-form-result';
import { Alert, Button, Card, CardContent, FormField, Input } from '~/components/ui';

export interface CreateOptions {
  scopes: { scope: string; description: string }[];
  maxActiveKeys: number;
  defaultRateLimitRpm: number;
  maxRateLimitRpm: number;
}

export function CreateKeyForm({
  fetcher,
  options,
  activeCount,
  today,
}: {
  fetcher: FetcherWithComponents<unknown>;
  options: CreateOptions;
  activeCount: number;
  /** The server's UTC date (YYYY-MM-DD), the earliest expiry day. */
  today: string;
}) {
  const { ref, busy, error, fieldErrors: fe } = useFormResult(fetcher, { resetOnSuccess: true });
  const [all, setAll] = useState(false);
  const atLimit = activeCount >= options.maxActiveKeys;
  const fieldProblem = Object.keys(fe).length > 0;
  return (
    <Card>
      <CardContent className="pt-6">
        <fetcher.Form
          method="post"
          ref={ref}
          className="flex flex-col gap-5"
          onReset={() => setAll(false)}
          aria-describedby="key-count"
        >
          <input type="hidden" name="intent" value="create" />
          <FormError error={error && !fieldProblem ? error : null} />
          <p id="key-count" className="text-sm text-fg-muted">
            {activeCount} of {options.maxActiveKeys} active keys in use.
          </p>
          {atLimit ? (
            <Alert variant="warning" role="status">
              You have {options.maxActiveKeys} active keys, the most allowed. Revoke one you no longer need
              before creating another.
            </Alert>
          ) : null}
          <FormField
            label="Name"
            error={fe.name}
            hint="Say where the key is used, e.g. “Moodle plugin”."
            required
          >
            <Input name="name" maxLength={100} autoComplete="off" />
          </FormField>
          <fieldset aria-describedby={fe.scopes ? 'scopes-error' : undefined}>
            <legend className="text-sm font-medium text-fg">
              Scopes <span className="font-normal text-fg-muted">(what the key may do)</span>
            </legend>
            <label className="mt-3 flex items-start gap-3 rounded-md border border-border p-3 text-sm">
              <input
                type="checkbox"
                name="scopes"
                value="*"
                checked={all}
                onChange={(e) => setAll(e.currentTarget.checked)}
                aria-invalid={fe.scopes ? true : undefined}
                className="mt-0.5 size-4 accent-primary"
              />
              <span>
                <span className="font-medium">All scopes</span> <code className="text-xs">*</code>
                <span className="block text-fg-muted">
                  Everything your roles allow, including what they allow later.
                </span>
              </span>
            </label>
            <div className="mt-2 grid gap-2 sm:grid-cols-2">
              {options.scopes.map((s) => (
                <label
                  key={s.scope}
                  className="flex items-start gap-3 rounded-md px-3 py-1.5 text-sm has-[:disabled]:opacity-60"
                >
                  <input
                    type="checkbox"
                    name="scopes"
                    value={s.scope}
                    disabled={all}
                    aria-invalid={fe.scopes ? true : undefined}
                    className="mt-0.5 size-4 accent-primary"
                  />
                  <span>
                    <code className="text-xs font-semibold">{s.scope}</code>
                    <span className="block text-fg-muted">{s.description}</span>
                  </span>
                </label>
              ))}
            </div>
            {fe.scopes ? (
              <p id="scopes-error" className="mt-1 text-sm font-medium text-danger-soft-fg">
                Scopes {fe.scopes}
              </p>
            ) : null}
          </fieldset>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField
              label="Expires on"
              error={fe.expiresAt}
              hint="Optional. The key stops working at the end of this day (UTC)."
            >
              <Input name="expiresAt" type="date" min={today} />
            </FormField>
            <FormField
              label="Rate limit (requests per minute)"
              error={fe.rateLimitRpm}
              hint={
                options.maxRateLimitRpm > options.defaultRateLimitRpm
                  ? `Optional; ${options.defaultRateLimitRpm} if left empty.`
                  : `Optional; at most ${options.maxRateLimitRpm}, the default. An administrator can raise it.`
              }
            >
              <Input
                name="rateLimitRpm"
                type="number"
                inputMode="numeric"
                min={1}
                max={options.maxRateLimitRpm}
                placeholder={String(options.defaultRateLimitRpm)}
              />
            </FormField>
          </div>
          <div>
            <Button type="submit" loading={busy}>
              Create key
            </Button>
          </div>
        </fetcher.Form>
      </CardContent>
    </Card>
  );
}
