/**
 * /auth/signin: e-mail + password (fields `email`, `password`), plus one button per enabled SSO provider.
 * Success sets the session cookie and goes to a same-origin `next`. Wrong password and unknown e-mail
 * answer alike; too many failures answer 429 with Retry-After.
 */
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { AuthCard } from '~/components/auth/auth-card';
import { Alert, Button, buttonClasses, FormField, Input } from '~/components/ui';
import { safeNext } from '~/lib/auth.server';
import { failed, formString, signedIn } from '~/lib/auth-form.server';

export const meta: MetaFunction = () => [{ title: 'Sign in' }];

/** A throttled attempt tells the client when to retry. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retry = actionHeaders.get('Retry-After');
  return retry ? { 'Retry-After': retry } : new Headers();
};

/** The SSO service when the SSO feature is present (it may not be, e.g. in a trimmed build). */
interface SsoButtons {
  listEnabled(ctx: unknown): Promise<{ slug: string; displayName: string }[]>;
  describeError?(code: string | null): string | null;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const next = safeNext(url.searchParams.get('next'));
  if (context.ctx.actor.type !== 'anonymous') throw redirect(next);
  const sso = (context.services as { sso?: SsoButtons }).sso;
  const providers = sso ? await sso.listEnabled(context.ctx) : [];
  const ssoError = sso?.describeError?.(url.searchParams.get('error')) ?? null;
  const signupOpen = await context.services.auth.signupOpen(context.ctx);
  return { next, providers, ssoError, signupOpen };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  try {
    const { session } = await context.services.auth.signIn(
      context.ctx,
      { email: formString(form, 'email'), password: formString(form, 'password') },
      { userAgent: request.headers.get('user-agent') },
    );
    return signedIn(session.cookie, formString(form, 'next'));
  } catch (err) {
    return failed(err);
  }
}

export default function SignIn() {
  const { next, providers, ssoError, signupOpen } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = result && !result.ok ? result : null;
  const submitting = useNavigation().state === 'submitting';
  // After a failed sign-in, keyboard focus moves to the error, so it is read out and the form follows it.
  const errorRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (failure) errorRef.current?.focus();
  }, [failure]);
  const [params] = useSearchParams();
  const nextQuery = next !== '/' ? `?next=${encodeURIComponent(next)}` : '';
  return (
    <AuthCard title="Sign in" description="Use your organisation account.">
      <div className="flex flex-col gap-5">
        {ssoError ? <Alert variant="danger">{ssoError}</Alert> : null}
        {failure ? (
          <div
            ref={errorRef}
            tabIndex={-1}
            id="signin-error"
            className="rounded-lg focus:outline-2 focus:outline-offset-2 focus:outline-ring"
          >
            <Alert variant="danger">{failure.error}</Alert>
          </div>
        ) : null}
        {params.get('signedout') ? <Alert variant="success">You are signed out.</Alert> : null}
        {params.get('signedup') ? (
          <Alert variant="success">
            If this address can be used, its account is ready: sign in with your password.
          </Alert>
        ) : null}
        {providers.length > 0 ? (
          <ul className="flex flex-col gap-2" aria-label="Sign in with">
            {providers.map((p) => (
              <li key={p.slug}>
                <a
                  href={`/auth/sso/${encodeURIComponent(p.slug)}${nextQuery}`}
                  className={buttonClasses('secondary', 'md', 'w-full')}
                >
                  Continue with {p.displayName}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
        <Form method="post" className="flex flex-col gap-4" noValidate={false}>
          <input type="hidden" name="next" value={next} />
          <FormField label="E-mail" error={failure?.fieldErrors.email} required>
            <Input name="email" type="email" autoComplete="username" autoFocus />
          </FormField>
          <FormField label="Password" error={failure?.fieldErrors.password} required>
            <Input name="password" type="password" autoComplete="current-password" />
          </FormField>
          <Button type="submit" loading={submitting}>
            Sign in
          </Button>
        </Form>
        {signupOpen ? (
          <p className="text-sm text-fg-muted">
            No account yet?{' '}
            <Link to={`/auth/signup${nextQuery}`} className="font-medium text-link underline">
              Create one
            </Link>
          </p>
        ) : null}
      </div>
    </AuthCard>
  );
}
