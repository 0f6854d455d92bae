/**
 * /knowledge/:id — one repository: its items with indexing status and progress (the page re-reads itself
 * every 1.5 s while anything is queued or processing, so progress shows without a reload), forms to add a
 * file, a URL or pasted text, retry / re-index / remove per item, access settings, the embedding model
 * (a change re-embeds in the background), and search in it.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { PageHeader, Section } from '~/components/admin/page-header';
import { AccessForm } from '~/components/knowledge/access-form';
import { AddSourceForms } from '~/components/knowledge/add-source-forms';
import { EmbeddingForm } from '~/components/knowledge/embedding-form';
import { ItemsTable } from '~/components/knowledge/items-table';
import { Alert, Button, Input } from '~/components/ui';
import { failure, formString, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { requireCapability } from '~/lib/auth.server';
import { pageTitle } from '~/lib/root-data';

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data?.repository.name ?? 'Knowledge');

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireCapability(context, request, 'knowledge:use');
  const { services, ctx } = context;
  const id = params.id ?? '';
  try {
    const [repository, items, embeddingModels] = await Promise.all([
      services.knowledge.getRepository(ctx, id),
      services.knowledge.listItems(ctx, id),
      services.knowledge.embeddingModels(ctx),
    ]);
    return { repository, items, embeddingModels };
  } catch (err) {
    if ((err as { status?: number }).status === 404 || (err as { status?: number }).status === 422)
      throw new Response('No such repository', { status: 404 });
    throw err;
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireCapability(context, request, 'knowledge:manage');
  const { services, ctx } = context;
  const id = params.id ?? '';
  const form = await request.formData();
  switch (intentOf(form)) {
    case 'upload': {
      const file = form.get('file');
      if (!(file instanceof File) || !file.name)
        return failure('Choose a file to upload', { file: 'is required' });
      return perform(async () =>
        services.knowledge.addFile(ctx, id, {
          filename: file.name,
          bytes: new Uint8Array(await file.arrayBuffer()),
        }),
      );
    }
    case 'url':
      return perform(() => services.knowledge.addUrl(ctx, id, { url: formString(form, 'url') }));
    case 'text':
      return perform(() =>
        services.knowledge.addText(ctx, id, {
          title: formString(form, 'title'),
          text: formString(form, 'text'),
        }),
      );
    case 'reindex':
      return perform(() => services.knowledge.reindexItem(ctx, id, formString(form, 'itemId')));
    case 'remove':
      return perform(() => services.knowledge.removeItem(ctx, id, formString(form, 'itemId')));
    case 'embedding':
      return perform(() =>
        services.knowledge.changeEmbeddingModel(ctx, id, {
          embeddingModelId: formString(form, 'embeddingModelId') || null,
        }),
      );
    case 'access':
      return perform(() =>
        services.knowledge.updateAccess(ctx, id, {
          visibility: formString(form, 'visibility') as 'private',
          roles: formString(form, 'roles')
            .split(',')
            .map((r) => r.trim())
            .filter(Boolean),
        }),
      );
    default:
      return unknownIntent();
  }
}

export default function RepositoryPage() {
  const { repository, items, embeddingModels } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const working = items.some((i) => i.status === 'queued' || i.status === 'processing');
  useEffect(() => {
    if (!working) return;
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate();
    }, 1500);
    return () => clearInterval(timer);
  }, [working, revalidator]);
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-8 px-4 py-6 sm:px-6 lg:px-8 lg:py-10">
      <div className="flex flex-col gap-3">
        <Link to="/knowledge" className="text-sm text-link underline-offset-4 hover:underline">
          ← Knowledge
        </Link>
        <PageHeader
          title={repository.name}
          description={`${repository.description || 'No description.'} Embedder: ${repository.embeddingModel.name}.`}
        />
      </div>
      <Form method="get" action="/knowledge/search" className="flex gap-2" role="search">
        <input type="hidden" name="repository" value={repository.id} />
        <label htmlFor="repo-q" className="sr-only">
          Search this repository
        </label>
        <Input id="repo-q" name="q" placeholder={`Search ${repository.name}…`} required />
        <Button type="submit">Search</Button>
      </Form>
      {answer && !answer.ok ? <Alert variant="danger">{answer.error}</Alert> : null}
      <Section
        id="items"
        title="Items"
        description={working ? 'Indexing… this page updates by itself.' : undefined}
      >
        <ItemsTable items={items} canManage={repository.canManage} busy={navigation.state !== 'idle'} />
      </Section>
      {repository.canManage ? (
        <>
          <Section id="add" title="Add a source">
            <AddSourceForms busy={navigation.state === 'submitting'} />
          </Section>
          <Section id="access" title="Access">
            <AccessForm repository={repository} />
          </Section>
          <Section id="embedding" title="Embedding model">
            <EmbeddingForm
              repository={repository}
              models={embeddingModels}
              busy={navigation.state === 'submitting'}
            />
          </Section>
        </>
      ) : null}
    </div>
  );
}
