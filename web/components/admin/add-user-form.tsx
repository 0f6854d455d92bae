/** "Add a person": an administrator creates a local account (password optional for SSO-only people). */
import { Link, useFetcher } from '@remix-run/react';
import { Button, Card, CardContent, FormField, Input, Select } from '~/components/ui';
import { FormError } from './form-error';
import { useFormResult } from './use-form-result';

export function AddUserForm({ roles, defaultRole }: { roles: string[]; defaultRole: string }) {
  const fetcher = useFetcher();
  const {
    ref,
    busy,
    error,
    fieldErrors: fe,
    data,
  } = useFormResult(fetcher, {
    success: 'Account created',
    resetOnSuccess: true,
  });
  const created = data as { id: string; email: string } | undefined;
  return (
    <Card>
      <CardContent className="pt-6">
        <fetcher.Form method="post" ref={ref} className="flex flex-col gap-4">
          <input type="hidden" name="intent" value="create" />
          <FormError error={error && !Object.keys(fe).length ? error : null} />
          {created ? (
            <p className="text-sm text-fg-muted" aria-live="polite">
              Created{' '}
              <Link to={created.id} className="font-medium text-link underline">
                {created.email}
              </Link>
              .
            </p>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4 lg:items-start">
            <FormField label="E-mail" error={fe.email} required>
              <Input name="email" type="email" autoComplete="off" />
            </FormField>
            <FormField label="Name" error={fe.name}>
              <Input name="name" autoComplete="off" maxLength={120} />
            </FormField>
            <FormField label="Password" hint="Empty: they sign in with SSO only" error={fe.password}>
              <Input name="password" type="password" autoComplete="new-password" />
            </FormField>
            <FormField label="Role" error={fe.roles}>
              <Select name="role" defaultValue={defaultRole}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </Select>
            </FormField>
          </div>
          <div>
            <Button type="submit" loading={busy}>
              Add person
            </Button>
          </div>
        </fetcher.Form>
      </CardContent>
    </Card>
  );
}
