/**
 * /knowledge: the repositories the person may read, a search box across all of them, and (with
 * knowledge:manage) a form to create one. Services are reached through the load context only.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, redirect, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { PageHeader, Section } from '~/components/admin/page-header';
import { EmbeddingModelSelect } from '~/components/knowledge/embedding-form';
import { RepositoryList } from '~/components/knowledge/repository-list';
import { Alert, Button, FormField, Input, Select, Textarea } from '~/components/ui';
import { failed, formString } from '~/lib/admin.server';
import { requireCapability } from '~/lib/auth.server';
import { pageTitle } from '~/lib/root-data';
import { can } from '../../api/lib/authz';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Knowledge');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireCapability(context, request, 'knowledge:use');
  const { services, ctx } = context;
  return {
    repositories: await services.knowledge.listRepositories(ctx),
    embeddingModels: await services.knowledge.embeddingModels(ctx),
    canCreate: can(actor, 'knowledge:manage'),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireCapability(context, request, 'knowledge:manage');
  const { services, ctx } = context;
  const form = await request.formData();
  try {
    const repo = await services.knowledge.createRepository(ctx, {
      name: formString(form, 'name'),
      description: formString(form, 'description'),
      visibility: formString(form, 'visibility') as 'private',
      embeddingModelId: formString(form, 'embeddingModelId') || null,
    });
    return redirect(`/knowledge/${repo.id}`);
  } catch (err) {
    return failed(err);
  }
}

export default function KnowledgePage() {
  const { repositories, embeddingModels, canCreate } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const errors = answer && !answer.ok ? answer.fieldErrors : {};
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-8 px-4 py-6 sm:px-6 lg:px-8 lg:py-10">
      <PageHeader
        title="Knowledge"
        description="Documents your district shares with you, searchable by meaning and by exact words."
      />
      <Form method="get" action="/knowledge/search" className="flex gap-2" role="search">
        <label htmlFor="knowledge-q" className="sr-only">
          Search all repositories
        </label>
        <Input id="knowledge-q" name="q" placeholder="Search everything you can read…" required />
        <Button type="submit">Search</Button>
      </Form>
      <Section id="repositories" title="Repositories">
        <RepositoryList repositories={repositories} />
      </Section>
      {canCreate ? (
        <Section id="create" title="Create a repository">
          {answer && !answer.ok ? <Alert variant="danger">{answer.error}</Alert> : null}
          <Form method="post" className="flex max-w-xl flex-col gap-4">
            <FormField label="Name" error={errors.name} required>
              <Input name="name" maxLength={200} />
            </FormField>
            <FormField label="Description" error={errors.description}>
              <Textarea name="description" rows={2} maxLength={2000} />
            </FormField>
            <FormField label="Who can read it" error={errors.visibility}>
              <Select name="visibility" defaultValue="private">
                <option value="private">Only me</option>
                <option value="everyone">Everyone who uses knowledge</option>
              </Select>
            </FormField>
            <FormField
              label="Embedding model"
              hint="Lexical works offline and matches words; a provider model also finds paraphrases."
              error={errors.embeddingModelId}
            >
              <EmbeddingModelSelect models={embeddingModels} defaultValue="" />
            </FormField>
            <div>
              <Button type="submit" loading={busy}>
                Create repository
              </Button>
            </div>
          </Form>
        </Section>
      ) : null}
      <p className="text-sm text-fg-muted">
        Scripts can use the same repositories through the{' '}
        <Link to="/api/docs" reloadDocument className="text-link underline">
          API
        </Link>
        .
      </p>
    </div>
  );
}
