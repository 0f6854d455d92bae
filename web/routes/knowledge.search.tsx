/** /knowledge/search?q=…[&repository=id] — hybrid search across everything the person may read. */
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { PageHeader } from '~/components/admin/page-header';
import { SearchResults } from '~/components/knowledge/search-results';
import { Alert, Button, Input } from '~/components/ui';
import { requireCapability } from '~/lib/auth.server';
import { pageTitle } from '~/lib/root-data';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Search knowledge');

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireCapability(context, request, 'knowledge:use');
  const { services, ctx } = context;
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').trim();
  const repository = url.searchParams.get('repository');
  if (!q) return { q, results: [], error: null };
  try {
    const results = await services.knowledge.search(ctx, {
      q,
      limit: 20,
      repositoryIds: repository ? [repository] : undefined,
    });
    return { q, results: results.map(({ text: _t, ...r }) => r), error: null };
  } catch (err) {
    return { q, results: [], error: (err as Error).message };
  }
}

export default function KnowledgeSearchPage() {
  const { q, results, error } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-6 sm:px-6 lg:px-8 lg:py-10">
      <Link to="/knowledge" className="text-sm text-link underline-offset-4 hover:underline">
        ← Knowledge
      </Link>
      <PageHeader
        title="Search knowledge"
        description="Every repository you may read, by meaning and by words."
      />
      <Form method="get" className="flex gap-2" role="search">
        <label htmlFor="search-q" className="sr-only">
          Search
        </label>
        <Input id="search-q" name="q" defaultValue={q} required />
        <Button type="submit">Search</Button>
      </Form>
      {error ? <Alert variant="danger">{error}</Alert> : null}
      {q && !error ? <SearchResults results={results} /> : null}
    </div>
  );
}
