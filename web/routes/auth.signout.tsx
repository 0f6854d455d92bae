/**
 * /auth/signout: POST ends the session and clears the cookie. A GET (a typed or followed link) only shows a
 * button, so no other site can sign people out with an image tag.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, useNavigation } from '@remix-run/react';
import { AuthCard } from '~/components/auth/auth-card';
import { Button } from '~/components/ui';

export const meta: MetaFunction = () => [{ title: 'Sign out' }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.ctx.actor.type === 'anonymous') throw redirect('/auth/signin');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { auth } = context.services;
  const { cookie } = await auth.signOut(context.ctx, auth.tokenFromCookie(request.headers.get('cookie')));
  return redirect('/auth/signin?signedout=1', {
    headers: { 'Set-Cookie': cookie, 'Cache-Control': 'no-store' },
  });
}

export default function SignOut() {
  const submitting = useNavigation().state === 'submitting';
  return (
    <AuthCard title="Sign out" description="End this session on this device.">
      <Form method="post">
        <Button type="submit" loading={submitting}>
          Sign out
        </Button>
      </Form>
    </AuthCard>
  );
}
