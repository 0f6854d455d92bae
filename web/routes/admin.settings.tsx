/**
 * /admin/settings: general settings (product name, audit retention, …) with where each value comes from;
 * the Branding section adds the logo upload and the accent colour (services.branding; ADR 023).
 * Provider credentials live on the Models page and sign-up settings on the Sign-in page, where they get
 * their own checks. Secrets are write-only. admin:settings; the settings service audits every change.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useFetcher, useLoaderData } from '@remix-run/react';
import { AccentCard, LogoCard } from '~/components/admin/branding-settings';
import { FormError } from '~/components/admin/form-error';
import { PageHeader, Section } from '~/components/admin/page-header';
import { SecretInput } from '~/components/admin/secret-input';
import { useFormResult } from '~/components/admin/use-form-result';
import {
  Badge,
  type BadgeVariant,
  Button,
  Card,
  CardContent,
  FormField,
  Input,
  Select,
} from '~/components/ui';
import { failure, formString, intentOf, perform, unknownIntent } from '~/lib/admin.server';
import { requireCapability } from '~/lib/auth.server';
import { settingForPage } from '~/lib/provider-settings.server';
import { pageTitle } from '~/lib/root-data';
import { BRANDING_KEYS } from '../../api/features/branding/branding.keys';
import { SETTING_CATEGORIES } from '../../api/features/settings/settings.registry';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Settings');

/** Categories edited elsewhere, with their own validation. */
const ELSEWHERE = new Set(['providers', 'auth']);
/** Shown as plain text fields (the logo and accent colour have their own controls). */
const asText = (s: { key: string; category: string }) =>
  !ELSEWHERE.has(s.category) && !BRANDING_KEYS.includes(s.key);
const MAX_VALUE = 10_000;
const DEFAULT_MODEL = 'chat.default_model';
const DECISIONS_EMBEDDING = 'decisions.embedding_model';

type Choice = { value: string; label: string };

/**
 * Settings chosen from a list rather than typed: models are stored by their registry id, which nobody
 * should have to copy. A list that cannot be read (a settings-only role without chat:use or knowledge:use)
 * leaves that setting a plain text field.
 */
async function choicesFor({ services, ctx }: LoaderFunctionArgs['context']) {
  const [chat, embedding] = await Promise.all([
    services.models.listUsable(ctx, 'chat').catch(() => null),
    services.knowledge.embeddingModels(ctx).catch(() => null),
  ]);
  const choices: Record<string, Choice[]> = {};
  if (chat)
    choices[DEFAULT_MODEL] = [
      { value: '', label: 'The first model available to the person' },
      ...chat.map((m) => ({ value: m.id, label: m.displayName })),
    ];
  if (embedding)
    choices[DECISIONS_EMBEDDING] = [
      { value: '', label: 'The built-in lexical embedder' },
      ...embedding.map((m) => ({ value: m.id, label: m.name })),
    ];
  return choices;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireCapability(context, request, 'admin:settings');
  const { services, ctx } = context;
  const [all, branding, choices] = await Promise.all([
    services.settings.list(ctx),
    services.branding.view(ctx),
    choicesFor(context),
  ]);
  return {
    branding: { accentColor: branding.accentColor, logo: branding.logo },
    settings: all.filter(asText).map((s) => ({
      ...settingForPage(s),
      label: s.label,
      category: s.category,
      choices: choices[s.key] ?? null,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireCapability(context, request, 'admin:settings');
  const { services, ctx } = context;
  const form = await request.formData();
  switch (intentOf(form)) {
    case 'logo': {
      const file = form.get('logo');
      if (!(file instanceof File) || !file.size)
        return failure('Choose an image to upload', { logo: 'Choose a PNG, JPEG or WebP file' });
      return perform(async () =>
        services.branding.uploadLogo(ctx, { bytes: new Uint8Array(await file.arrayBuffer()) }),
      );
    }
    case 'logo-remove':
      return perform(() => services.branding.removeLogo(ctx));
    case 'accent':
      return perform(() =>
        services.branding.setAccent(ctx, { accentColor: formString(form, 'accentColor').trim() || null }),
      );
    case 'accent-reset':
      return perform(() => services.branding.setAccent(ctx, { accentColor: null }));
  }
  // Only keys this page lists as text can be written here.
  const key = formString(form, 'key');
  const known = (await services.settings.list(ctx)).find((s) => s.key === key && asText(s));
  if (!known) return failure('This setting cannot be changed here', {}, 400);
  switch (intentOf(form)) {
    case 'save': {
      const value = formString(form, 'value').trim();
      if (value.length > MAX_VALUE)
        return failure('Too long', { value: `must be at most ${MAX_VALUE} characters` });
      if (/_days$/.test(key) && value && !/^\d{1,6}$/.test(value))
        return failure('Enter a number of days', { value: 'must be a whole number of days' });
      // Blank secret = keep; an unchanged value stays where it comes from (default, environment).
      if ((known.secret && !value) || (!known.secret && value === (known.value ?? '')))
        return perform(async () => ({ unchanged: true }));
      const choices =
        key === DEFAULT_MODEL || key === DECISIONS_EMBEDDING ? (await choicesFor(context))[key] : null;
      if (choices && !choices.some((c) => c.value === value))
        return failure('Choose one of the listed options', {
          value: 'must be one of the listed models (they are added in Admin → Models)',
        });
      if (!value) return perform(() => services.settings.unset(ctx, key));
      return perform(() => services.settings.set(ctx, { key, value }));
    }
    case 'reset':
      return perform(() => services.settings.unset(ctx, key));
    default:
      return unknownIntent();
  }
}

const SOURCE: Record<string, { label: string; variant: BadgeVariant }> = {
  database: { label: 'Set here', variant: 'primary' },
  environment: { label: 'From environment', variant: 'neutral' },
  default: { label: 'Default', variant: 'neutral' },
  unset: { label: 'Not set', variant: 'warning' },
};

export default function AdminSettings() {
  const { settings, branding } = useLoaderData<typeof loader>();
  // Sections in the registry's order; a category it does not name comes last, under its own name.
  const order = Object.keys(SETTING_CATEGORIES);
  const categories = [...new Set(settings.map((s) => s.category))].sort(
    (a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99),
  );
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          <>
            General settings. Provider credentials are on the{' '}
            <Link to="/admin/models#providers" className="text-link underline">
              Models
            </Link>{' '}
            page; sign-up rules on the{' '}
            <Link to="/admin/auth" className="text-link underline">
              Sign-in
            </Link>{' '}
            page.
          </>
        }
      />
      {categories.map((category) => (
        <Section key={category} id={`settings-${category}`} title={SETTING_CATEGORIES[category] ?? category}>
          <div className="flex flex-col gap-4">
            {settings
              .filter((s) => s.category === category)
              .map((s) => (
                <SettingCard key={s.key} setting={s} />
              ))}
            {category === 'branding' ? (
              <>
                <LogoCard logo={branding.logo} />
                <AccentCard accentColor={branding.accentColor} />
              </>
            ) : null}
          </div>
        </Section>
      ))}
    </>
  );
}

function SettingCard({
  setting,
}: {
  setting: {
    key: string;
    label: string;
    description: string | null;
    secret: boolean;
    value: string | null;
    isSet: boolean;
    source: string;
    choices: Choice[] | null;
  };
}) {
  const fetcher = useFetcher<typeof action>();
  const resetter = useFetcher<typeof action>();
  const { ref, busy, error, fieldErrors } = useFormResult(fetcher, {
    success: (d) =>
      (d as { unchanged?: boolean } | null)?.unchanged ? 'Nothing changed' : `${setting.label} saved`,
    // Clears a typed secret; other fields reset to the value just saved.
    resetOnSuccess: true,
  });
  const reset = useFormResult(resetter, { success: `${setting.label} reset` });
  const source = SOURCE[setting.source] ?? SOURCE.unset!;
  return (
    <Card>
      <CardContent className="pt-6">
        <fetcher.Form method="post" ref={ref} className="flex flex-col gap-3">
          <input type="hidden" name="intent" value="save" />
          <input type="hidden" name="key" value={setting.key} />
          <FormError error={(error && !fieldErrors.value ? error : null) ?? reset.error} />
          <div className="flex flex-wrap items-center gap-2">
            <Badge variant={source.variant}>{source.label}</Badge>
            {setting.secret ? <Badge>Secret</Badge> : null}
            <code className="font-mono text-xs text-fg-muted">{setting.key}</code>
          </div>
          <FormField
            label={setting.label}
            hint={
              setting.description && setting.description !== setting.label ? setting.description : undefined
            }
            error={fieldErrors.value}
          >
            {setting.secret ? (
              <div className="max-w-xl">
                <SecretInput name="value" isSet={setting.isSet} />
              </div>
            ) : setting.choices ? (
              <Select name="value" defaultValue={setting.value ?? ''} className="max-w-xl">
                {/* A stored value no longer listed (a model removed since) stays visible as what it is. */}
                {setting.value && !setting.choices.some((c) => c.value === setting.value) ? (
                  <option value={setting.value}>{setting.value} (no longer an active model)</option>
                ) : null}
                {setting.choices.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </Select>
            ) : (
              <Input
                name="value"
                defaultValue={setting.value ?? ''}
                autoComplete="off"
                className="max-w-xl"
              />
            )}
          </FormField>
          <div className="flex gap-2">
            <Button type="submit" size="sm" loading={busy}>
              Save<span className="sr-only"> {setting.label}</span>
            </Button>
            {setting.source === 'database' ? (
              <Button
                size="sm"
                variant="ghost"
                loading={reset.busy}
                onClick={() => resetter.submit({ intent: 'reset', key: setting.key }, { method: 'post' })}
              >
                Reset to default<span className="sr-only"> for {setting.label}</span>
              </Button>
            ) : null}
          </div>
        </fetcher.Form>
      </CardContent>
    </Card>
  );
}
