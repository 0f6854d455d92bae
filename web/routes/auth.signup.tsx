/**
 * /auth/signup: create a local account. The very first one (administrator) is signed in at once; after
 * that, a new address and an address that already has an account get the same answer — on to sign-in with
 * "if this address can be used, its account is ready" — so the form reveals nobody's account.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { AuthCard } from '~/components/auth/auth-card';
import { Alert, Button, FormField, Input } from '~/components/ui';
import { DEFAULT_LANDING, safeNext } from '~/lib/auth.server';
import { failed, formString, signedIn } from '~/lib/auth-form.server';

export const meta: MetaFunction = () => [{ title: 'Create an account' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const next = safeNext(new URL(request.url).searchParams.get('next'));
  if (context.ctx.actor.type !== 'anonymous') throw redirect(next);
  const { auth } = context.services;
  const open = await auth.signupOpen(context.ctx);
  const policy = await auth.signupPolicy(context.ctx);
  return { next, open, domains: policy.signupDomains };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  try {
    const { session } = await context.services.auth.register(
      context.ctx,
      {
        email: formString(form, 'email'),
        password: formString(form, 'password'),
        name: formString(form, 'name'),
      },
      { userAgent: request.headers.get('user-agent') },
    );
    if (session) return signedIn(session.cookie, formString(form, 'next'));
    const next = safeNext(formString(form, 'next'));
    const query = new URLSearchParams({ signedup: '1' });
    if (next !== DEFAULT_LANDING) query.set('next', next);
    return redirect(`/auth/signin?${query}`, { headers: { 'Cache-Control': 'no-store' } });
  } catch (err) {
    return failed(err);
  }
}

export default function SignUp() {
  const { next, open, domains } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = result && !result.ok ? result : null;
  const submitting = useNavigation().state === 'submitting';
  const signInHref = next !== '/' ? `/auth/signin?next=${encodeURIComponent(next)}` : '/auth/signin';
  if (!open) {
    return (
      <AuthCard title="Create an account">
        <div className="flex flex-col gap-4">
          <Alert variant="info">
            Sign-up is turned off here. Ask an administrator to create an account for you.
          </Alert>
          <Link to={signInHref} className="font-medium text-link underline">
            Back to sign in
          </Link>
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Create an account"
      description={
        domains.length ? `Use an e-mail address at ${domains.map((d) => `@${d}`).join(' or ')}.` : undefined
      }
    >
      <div className="flex flex-col gap-5">
        {failure ? <Alert variant="danger">{failure.error}</Alert> : null}
        <Form method="post" className="flex flex-col gap-4">
          <input type="hidden" name="next" value={next} />
          <FormField label="Name" error={failure?.fieldErrors.name}>
            <Input name="name" autoComplete="name" autoFocus />
          </FormField>
          <FormField label="E-mail" error={failure?.fieldErrors.email} required>
            <Input name="email" type="email" autoComplete="email" />
          </FormField>
          <FormField
            label="Password"
            hint="At least 10 characters, not your e-mail address."
            error={failure?.fieldErrors.password}
            required
          >
            <Input name="password" type="password" autoComplete="new-password" minLength={10} />
          </FormField>
          <Button type="submit" loading={submitting}>
            Create account
          </Button>
        </Form>
        <p className="text-sm text-fg-muted">
          Already have an account?{' '}
          <Link to={signInHref} className="font-medium text-link underline">
            Sign in
          </Link>
        </p>
      </div>
    </AuthCard>
  );
}
