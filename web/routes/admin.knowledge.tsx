/**
 * /admin/knowledge: the ingestion pipeline's dead letters — items of every repository that failed to
 * index, with the reason — and a retry that indexes the item again (a new generation; the old index keeps
 * answering). admin:settings; the dead-letter service checks it too and audits each retry.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { PageHeader } from '~/components/admin/page-header';
import {
  Alert,
  Button,
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui';
import { formString, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { requireCapability } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/format';
import { pageTitle } from '~/lib/root-data';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Knowledge');

const CAPABILITY = 'admin:settings';

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireCapability(context, request, CAPABILITY);
  const { services, ctx } = context;
  const failed = await services.knowledgeDeadLetters.list(ctx);
  return {
    items: failed.map((i) => ({
      id: i.id,
      title: i.title,
      repositoryId: i.repositoryId,
      repositoryName: i.repositoryName,
      error: i.error,
      updatedAt: i.updatedAt,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireCapability(context, request, CAPABILITY);
  const { services, ctx } = context;
  const form = await request.formData();
  if (intentOf(form) !== 'retry') return unknownIntent();
  return perform(() => services.knowledgeDeadLetters.retry(ctx, formString(form, 'itemId')));
}

export default function AdminKnowledge() {
  const { items } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busyId = navigation.state !== 'idle' ? navigation.formData?.get('itemId') : null;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Knowledge"
        description="Items that failed to index, in every repository. Retry indexes the item again once the cause is fixed (a model key, a damaged file replaced, a host allowed)."
      />
      {result && !result.ok ? (
        <Alert variant="danger" title="Could not retry">
          {result.error}
        </Alert>
      ) : null}
      {result?.ok ? (
        <Alert variant="success" title="Queued again">
          The item is being indexed again; follow it on its repository page.
        </Alert>
      ) : null}
      <Table>
        <TableCaption className="sr-only">Failed knowledge items</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>Item</TableHead>
            <TableHead>Repository</TableHead>
            <TableHead>Reason</TableHead>
            <TableHead>Failed</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.length === 0 ? (
            <TableEmpty colSpan={5} title="No failed items">
              Every item of every repository is indexed or on its way.
            </TableEmpty>
          ) : (
            items.map((i) => (
              <TableRow key={i.id} data-testid="dead-letter">
                <TableCell className="font-medium">{i.title}</TableCell>
                <TableCell>
                  <Link to={`/knowledge/${i.repositoryId}`} className="text-primary hover:underline">
                    {i.repositoryName}
                  </Link>
                </TableCell>
                <TableCell className="max-w-md text-sm text-fg-muted">{i.error ?? 'Unknown error'}</TableCell>
                <TableCell className="whitespace-nowrap text-sm">{formatDateTime(i.updatedAt)}</TableCell>
                <TableCell className="text-right">
                  <Form method="post">
                    <input type="hidden" name="intent" value="retry" />
                    <input type="hidden" name="itemId" value={i.id} />
                    <Button
                      type="submit"
                      size="sm"
                      variant="secondary"
                      disabled={busyId === i.id}
                      aria-label={`Retry ${i.title}`}
                    >
                      Retry
                    </Button>
                  </Form>
                </TableCell>
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
    </div>
  );
}
