/**
 * /oauth/consent: an app asks to act for the signed-in person (the authorization endpoint sends the browser
 * here; the root guard signs the person in first and returns here). Shows the app's name, where the browser
 * will return, the scopes in plain words and the account, with Allow and Deny. A remembered consent that
 * covers the request goes straight back to the app. The form is a plain document POST so the browser
 * itself follows the redirect to the app (any scheme, any origin), with or without JavaScript; the page's
 * CSP `form-action` names the app's redirect origin (or scheme), since a browser checks the redirect of a
 * form POST against it too.
 */
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { AuthCard } from '~/components/auth/auth-card';
import { Alert, Button, buttonClasses } from '~/components/ui';
import { requireUser } from '~/lib/auth.server';
import type { ConsentView } from '../../api/features/oauth/oauth.service';

export const meta: MetaFunction = () => [{ title: 'Allow access?' }];

/** The loader's `form-action` widening (the security-headers middleware keeps only that directive). */
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** A failed request from the service (read by shape: Remix has its own copy of api/ modules). */
interface Refusal {
  name: 'AuthorizationFailure';
  redirectTo: string | null;
  oauth: { error: string; description: string };
}
const isRefusal = (err: unknown): err is Refusal =>
  typeof err === 'object' && err !== null && (err as { name?: string }).name === 'AuthorizationFailure';

type LoaderData = { kind: 'ask'; view: ConsentView } | { kind: 'error'; message: string };

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const params = new URL(request.url).searchParams;
  let step: LoaderData;
  try {
    const next = await context.services.oauth.consent(context.ctx, params);
    if (next.kind === 'redirect') throw redirect(next.url);
    step = next;
  } catch (err) {
    if (!isRefusal(err)) throw err;
    if (err.redirectTo) throw redirect(err.redirectTo);
    step = { kind: 'error', message: err.oauth.description };
  }
  const source = step.kind === 'ask' ? step.view.redirectSource : null;
  return data(step, source ? { headers: { 'Content-Security-Policy': `form-action 'self' ${source}` } } : {});
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const params = new URLSearchParams();
  for (const [k, v] of form) if (k !== 'decision' && typeof v === 'string') params.append(k, v);
  try {
    return redirect(
      await context.services.oauth.decide(context.ctx, params, form.get('decision') === 'allow'),
    );
  } catch (err) {
    if (!isRefusal(err)) throw err;
    if (err.redirectTo) return redirect(err.redirectTo);
    return { kind: 'error' as const, message: err.oauth.description };
  }
}

export default function Consent() {
  const data = useLoaderData<typeof loader>();
  if (data.kind === 'error')
    return (
      <AuthCard title="This request cannot continue">
        <div className="flex flex-col gap-4">
          <Alert variant="danger">{data.message}</Alert>
          <a href="/" className={buttonClasses('secondary', 'md')}>
            Back to AI Studio
          </a>
        </div>
      </AuthCard>
    );
  const { view } = data;
  return (
    <AuthCard
      title={`Allow ${view.clientName} to use your account?`}
      description={
        <>
          You will return to <strong className="font-medium text-fg">{view.redirectHost}</strong> after you
          choose.
        </>
      }
    >
      <div className="flex flex-col gap-5">
        {view.dynamic ? (
          <Alert variant="warning">
            This app registered itself. Allow it only if you started connecting it just now.
          </Alert>
        ) : null}
        <div>
          <h2 className="text-sm font-medium text-fg">{view.clientName} will be able to:</h2>
          <ul
            className="mt-2 flex list-disc flex-col gap-1 pl-5 text-sm text-fg"
            aria-label="Requested access"
          >
            {view.scopes.map((s) => (
              <li key={s.scope}>{s.words}</li>
            ))}
          </ul>
        </div>
        <p className="text-sm text-fg-muted">
          Signed in as{' '}
          <strong className="font-medium text-fg">{view.account.name || view.account.email}</strong> (
          {view.account.email}). Not you?{' '}
          <a href="/auth/signout" className="text-link underline">
            Sign out
          </a>
        </p>
        <form method="post" className="flex gap-3">
          {Object.entries(view.params).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <Button type="submit" name="decision" value="allow">
            Allow
          </Button>
          <Button type="submit" name="decision" value="deny" variant="secondary">
            Deny
          </Button>
        </form>
        <p className="text-xs text-fg-muted">
          You can disconnect it any time under Your profile → Connected apps.
        </p>
      </div>
    </AuthCard>
  );
}
