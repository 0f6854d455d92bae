/** /decisions/new: record a decision with its evidence, alternatives and people (decisions:write). */
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { PageHeader } from '~/components/admin/page-header';
import { CaptureForm } from '~/components/decisions/capture-form';
import { failed } from '~/lib/admin.server';
import { requireCapability } from '~/lib/auth.server';
import { captureInput } from '~/lib/decisions-form.server';
import { pageTitle } from '~/lib/root-data';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Record a decision');

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireCapability(context, request, 'decisions:write');
  const { services, ctx } = context;
  const recent = await services.decisions.search(ctx, { type: 'decision', status: 'accepted', limit: 50 });
  const wanted = new URL(request.url).searchParams.getAll('supersedes');
  return {
    supersedable: recent.items.map((d) => ({ id: d.id, title: d.title })),
    supersedes: wanted.filter((id) => recent.items.some((d) => d.id === id)),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireCapability(context, request, 'decisions:write');
  const form = await request.formData();
  try {
    const { decision } = await context.services.decisions.capture(context.ctx, captureInput(form));
    return redirect(`/decisions/${decision.id}`);
  } catch (err) {
    return failed(err);
  }
}

export default function NewDecisionPage() {
  const { supersedable, supersedes } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const failure = answer && 'ok' in answer && !answer.ok ? answer : null;
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6 px-4 py-6 sm:px-6 lg:px-8 lg:py-10">
      <Link to="/decisions" className="text-sm text-link underline-offset-4 hover:underline">
        ← All decisions
      </Link>
      <PageHeader
        title="Record a decision"
        description="Capture what was decided and why while it is fresh. Everything here is saved together, or not at all."
      />
      <CaptureForm
        error={failure?.error}
        fieldErrors={failure?.fieldErrors}
        supersedable={supersedable}
        supersedes={supersedes}
      />
    </div>
  );
}
