/**
 * /admin/models: the model registry (test, open to edit), adding a model by id or from the provider's
 * own list ("discover"), and the providers' credentials. admin:models; the models and settings services
 * validate and audit every change.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { DiscoverModels } from '~/components/admin/discover-models';
import { FormError } from '~/components/admin/form-error';
import { type ModelTestAnswer, ModelTestResult } from '~/components/admin/model-test-result';
import { AddModelForm, ModelsTable } from '~/components/admin/models-table';
import { PageHeader, Section } from '~/components/admin/page-header';
import { ProviderCredentials } from '~/components/admin/provider-credentials';
import { Alert } from '~/components/ui';
import {
  failure,
  formInteger,
  formOptional,
  formString,
  formStrings,
  intentOf,
  perform,
  unknownIntent,
} from '~/lib/admin.server';
import { requireCapability } from '~/lib/auth.server';
import { providerSettings, saveProviderSettings } from '~/lib/provider-settings.server';
import { pageTitle } from '~/lib/root-data';
import type { ProviderId } from '../../api/ai/provider-ids';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Models');

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireCapability(context, request, 'admin:models');
  const { services, ctx } = context;
  const [models, providers, settings] = await Promise.all([
    services.models.list(ctx),
    services.models.providerStatus(ctx),
    providerSettings(context),
  ]);
  return {
    models: models.map((m) => ({
      id: m.id,
      provider: m.provider,
      modelId: m.modelId,
      displayName: m.displayName,
      active: m.active,
      surfaces: m.surfaces,
      inputPricePerMillion: m.inputPricePerMillion,
      outputPricePerMillion: m.outputPricePerMillion,
      restricted: m.grants.roles.length + m.grants.userIds.length > 0,
    })),
    providers,
    settings,
  };
}

type Provider = ProviderId;

export async function action({ request, context }: ActionFunctionArgs) {
  requireCapability(context, request, 'admin:models');
  const { services, ctx } = context;
  const form = await request.formData();
  const provider = formString(form, 'provider') as Provider;
  const baseUrl = provider === 'openai-compatible' ? formOptional(form, 'baseUrl') : null;
  switch (intentOf(form)) {
    case 'test':
      return perform(() => services.models.test(ctx, formString(form, 'id')));
    case 'create':
      return perform(() =>
        services.models.create(ctx, {
          provider,
          modelId: formString(form, 'modelId'),
          displayName: formOptional(form, 'displayName') ?? undefined,
          baseUrl,
        }),
      );
    case 'discover':
      return perform(() => services.models.discover(ctx, { provider, baseUrl }));
    case 'add-discovered': {
      const ids = formStrings(form, 'modelIds');
      if (!ids.length) return failure('Tick at least one model to add', { modelIds: 'tick at least one' });
      // One by one so a conflict on one model does not lose the others; report what failed.
      const added: string[] = [];
      const problems: string[] = [];
      for (const modelId of ids) {
        try {
          await services.models.create(ctx, {
            provider,
            modelId,
            baseUrl,
            displayName: formOptional(form, `name:${modelId}`) ?? undefined,
            description: formString(form, `description:${modelId}`),
            contextWindow: formInteger(form, `context:${modelId}`),
            maxOutputTokens: formInteger(form, `maxOutput:${modelId}`),
          });
          added.push(modelId);
        } catch (err) {
          problems.push(`${modelId}: ${(err as Error).message}`);
        }
      }
      if (problems.length) return failure(`Added ${added.length}; not added: ${problems.join('; ')}`);
      return perform(async () => ({ added }));
    }
    case 'credentials':
      return perform(() => saveProviderSettings(context, provider, form));
    default:
      return unknownIntent();
  }
}

export default function AdminModels() {
  const { models, providers, settings } = useLoaderData<typeof loader>();
  const configured = providers.filter((p) => p.configured);
  // Without JavaScript the forms post as documents: show the outcome here (with JS, each form shows its own).
  const posted = useActionData<typeof action>();
  const tested =
    posted?.ok && posted.data && typeof posted.data === 'object' && 'latencyMs' in posted.data
      ? (posted.data as ModelTestAnswer)
      : null;
  return (
    <>
      <PageHeader
        title="Models"
        description="The AI models people can choose from. A model is open to everyone who may use its surfaces unless you restrict it to roles or people."
      />
      {tested ? <ModelTestResult result={tested} /> : null}
      {posted && !posted.ok ? <FormError error={posted.error} /> : null}
      {configured.length === 0 ? (
        <Alert variant="warning" title="No provider is configured yet">
          Enter an API key under{' '}
          <a href="#providers" className="font-medium underline">
            Providers
          </a>{' '}
          below, then add or discover models.
        </Alert>
      ) : null}
      <Section
        id="registry"
        title="Registered models"
        description="Test sends a one-token request to the provider."
      >
        <ModelsTable models={models} />
      </Section>
      <div className="grid gap-6 xl:grid-cols-2">
        <Section
          id="add"
          title="Add a model"
          description="By the provider's model id (Azure: the deployment name)."
        >
          <AddModelForm providers={providers} />
        </Section>
        <Section
          id="discover"
          title="Discover models"
          description="List the provider's models and pick which to add."
        >
          <DiscoverModels providers={configured} />
        </Section>
      </div>
      <Section
        id="providers"
        title="Providers"
        description="Credentials are stored encrypted and never shown again. Changes apply to the next request, no restart needed."
      >
        <div className="grid items-start gap-6 lg:grid-cols-2">
          {providers.map((p) => (
            <ProviderCredentials key={p.provider} status={p} settings={settings[p.provider] ?? []} />
          ))}
        </div>
      </Section>
      <p className="text-sm text-fg-muted">
        Monthly limits per role or person are under{' '}
        <Link to="/admin/budgets" className="text-link underline">
          Budgets
        </Link>
        .
      </p>
    </>
  );
}
