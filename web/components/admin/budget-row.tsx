/** One budget as an editable table row (role or person), and the form adding a personal override. */
import { useFetcher } from '@remix-run/react';
import { Button, Card, CardContent, FormField, Input, TableCell, TableRow } from '~/components/ui';
import { ConfirmAction } from './confirm-action';
import { FormError } from './form-error';
import { useFormResult } from './use-form-result';

interface Budget {
  id: string;
  limitTokens: number | null;
  limitCostUsd: string | null;
}

export function BudgetRow({ label, role, budget }: { label: string; role?: string; budget: Budget | null }) {
  const fetcher = useFetcher();
  const remover = useFetcher();
  const formId = `budget-${role ?? budget?.id}`;
  const {
    ref,
    busy,
    error,
    fieldErrors: fe,
  } = useFormResult(fetcher, { success: `Budget for ${label} saved` });
  const removed = useFormResult(remover, { success: `Budget for ${label} removed` });
  return (
    <TableRow>
      <TableCell className="pt-5 align-top font-medium">
        {label}
        <fetcher.Form method="post" id={formId} ref={ref}>
          <input type="hidden" name="intent" value={role ? 'save-role' : 'save-user'} />
          {role ? <input type="hidden" name="role" value={role} /> : null}
          {budget ? <input type="hidden" name="id" value={budget.id} /> : null}
        </fetcher.Form>
        {error || removed.error ? (
          <p className="mt-1 text-sm font-normal text-danger-soft-fg" role="alert">
            {error ?? removed.error}
          </p>
        ) : null}
      </TableCell>
      <TableCell className="align-top">
        <Input
          form={formId}
          name="limitTokens"
          inputMode="numeric"
          aria-label={`Tokens per month for ${label}`}
          aria-invalid={fe.limitTokens ? true : undefined}
          placeholder="No limit"
          defaultValue={budget?.limitTokens ?? ''}
          className="max-w-40"
        />
      </TableCell>
      <TableCell className="align-top">
        <Input
          form={formId}
          name="limitCostUsd"
          inputMode="decimal"
          aria-label={`USD per month for ${label}`}
          aria-invalid={fe.limitCostUsd ? true : undefined}
          placeholder="No limit"
          defaultValue={budget?.limitCostUsd ?? ''}
          className="max-w-32"
        />
      </TableCell>
      <TableCell className="align-top">
        <div className="flex justify-end gap-2">
          <Button type="submit" form={formId} size="sm" variant="secondary" loading={busy}>
            Save<span className="sr-only"> budget for {label}</span>
          </Button>
          {budget ? (
            <ConfirmAction
              fetcher={remover}
              fields={{ intent: 'delete', id: budget.id }}
              trigger={
                <>
                  Remove<span className="sr-only"> budget for {label}</span>
                </>
              }
              triggerVariant="ghost"
              title={`Remove the budget for ${label}?`}
              description={
                role
                  ? 'People with this role are no longer limited by it.'
                  : 'Their role budgets apply again.'
              }
              confirmLabel="Remove budget"
            />
          ) : null}
        </div>
      </TableCell>
    </TableRow>
  );
}

export function NewUserBudget() {
  const fetcher = useFetcher();
  const {
    ref,
    busy,
    error,
    fieldErrors: fe,
  } = useFormResult(fetcher, {
    success: 'Override added',
    resetOnSuccess: true,
  });
  return (
    <Card>
      <CardContent className="pt-6">
        <fetcher.Form method="post" ref={ref} className="flex flex-col gap-4">
          <input type="hidden" name="intent" value="add-user" />
          <FormError error={error && !Object.keys(fe).length ? error : null} />
          <div className="grid gap-4 sm:grid-cols-[1fr_12rem_10rem_auto] sm:items-start">
            <FormField label="E-mail address" error={fe.email ?? fe.userId} required>
              <Input name="email" type="email" autoComplete="off" />
            </FormField>
            <FormField label="Tokens per month" error={fe.limitTokens}>
              <Input name="limitTokens" inputMode="numeric" placeholder="No limit" />
            </FormField>
            <FormField label="USD per month" error={fe.limitCostUsd}>
              <Input name="limitCostUsd" inputMode="decimal" placeholder="No limit" />
            </FormField>
            <Button type="submit" loading={busy} className="sm:mt-7">
              Add override
            </Button>
          </div>
        </fetcher.Form>
      </CardContent>
    </Card>
  );
}
