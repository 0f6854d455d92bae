/**
 * /profile/api-keys: the signed-in person's API keys (capability api:keys). Create one (its secret is shown
 * once, from the action's answer — the loader never has it), see when each was last used, revoke one, and
 * how to call the API with it. Sits beside /profile rather than inside it (the trailing underscore), so it
 * is a page of its own.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { PageHeader, Section } from '~/components/admin/page-header';
import { CreateKeyForm } from '~/components/api-keys/create-key-form';
import { MyKeysTable } from '~/components/api-keys/my-keys-table';
import { NewKeyNotice } from '~/components/api-keys/new-key-notice';
import { UsageSnippets } from '~/components/api-keys/usage-snippets';
import { formString, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { createKeyInput, todayUtc } from '~/lib/api-keys-form.server';
import { requireCapability } from '~/lib/auth.server';
import { pageTitle } from '~/lib/root-data';
import type { ApiKeyView } from '../../api/features/api-keys/api-keys.service';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'API keys');

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireCapability(context, request, 'api:keys');
  const { services, ctx } = context;
  return {
    keys: await services.apiKeys.listMine(ctx),
    options: services.apiKeys.createOptions(ctx),
    apiBase: `${services.config.APP_URL}/api/v1`,
    today: todayUtc(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireCapability(context, request, 'api:keys');
  const { services, ctx } = context;
  const form = await request.formData();
  switch (intentOf(form)) {
    case 'create':
      return perform(() => services.apiKeys.create(ctx, createKeyInput(form)));
    case 'revoke':
      return perform(() => services.apiKeys.revokeMine(ctx, formString(form, 'id')));
    default:
      return unknownIntent();
  }
}

interface Created {
  key: ApiKeyView;
  secret: string;
}

function createdIn(answer: unknown): Created | null {
  const a = answer as { ok?: boolean; data?: Partial<Created> } | undefined;
  return a?.ok && a.data?.secret && a.data.key ? (a.data as Created) : null;
}

export default function ApiKeysPage() {
  const { keys, options, apiBase, today } = useLoaderData<typeof loader>();
  const create = useFetcher<typeof action>();
  // The secret lives only in this page's memory, from the action's answer until the person hides it or
  // leaves; a later failed attempt does not take it away. Without JavaScript the form posts as a document
  // and the answer arrives as the page's action data instead.
  const posted = useActionData<typeof action>();
  const [shown, setShown] = useState<Created | null>(() => createdIn(posted));
  useEffect(() => {
    const created = create.state === 'idle' ? createdIn(create.data) : null;
    if (created) setShown(created);
  }, [create.state, create.data]);
  const activeCount = keys.filter((k) => k.status === 'active').length;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-8 px-4 py-6 sm:px-6 lg:px-8 lg:py-10">
      <div className="flex flex-col gap-3">
        <Link to="/profile" className="text-sm text-link underline-offset-4 hover:underline">
          ← Your profile
        </Link>
        <PageHeader
          title="API keys"
          description={
            <>
              Keys let scripts and other systems (an LMS, a help-desk bot) use AI Studio's API as you, limited
              to the scopes you pick and never beyond what your roles allow. See the{' '}
              <a href="/api/docs" className="text-link underline underline-offset-4">
                API reference
              </a>
              .
            </>
          }
        />
      </div>
      {shown ? (
        <NewKeyNotice
          key={shown.key.id}
          name={shown.key.name}
          secret={shown.secret}
          onDismiss={() => setShown(null)}
        />
      ) : null}
      <Section
        id="keys"
        title="Your keys"
        description="Only the start of each key is kept for you to recognise it."
      >
        <MyKeysTable keys={keys} />
      </Section>
      <Section id="create" title="Create a key">
        <CreateKeyForm fetcher={create} options={options} activeCount={activeCount} today={today} />
      </Section>
      <Section
        id="how-to"
        title="How to use a key"
        description={
          <>
            Send it as a Bearer token. The chat endpoint speaks OpenAI's format, so OpenAI SDKs and tools work
            when pointed at <code className="font-mono text-xs">{apiBase}</code>.
          </>
        }
      >
        <UsageSnippets apiBase={apiBase} />
      </Section>
    </div>
  );
}
