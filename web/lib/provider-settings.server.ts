/**
 * Provider credentials are settings (category "providers"; keys secret where the registry says so). The
 * model admin page edits only those keys — an allow-list taken from the settings registry at run time — so
 * admin:models cannot write other settings through it. Secrets are write-only: blank keeps, typed replaces,
 * "remove" unsets. The settings service encrypts, audits and tells other processes.
 */
import type { AppLoadContext } from '@remix-run/node';
import { formString } from './admin.server';
import { providerOfSetting } from './models-meta';

export interface ProviderSetting {
  key: string;
  description: string | null;
  secret: boolean;
  /** Non-secret value, or null; secrets never leave the server (only `isSet`). */
  value: string | null;
  isSet: boolean;
  source: string;
}

type SettingRow = Awaited<ReturnType<AppLoadContext['services']['settings']['list']>>[number];

/** A setting as a page may show it: secrets never leave the server, only whether one is set. */
export function settingForPage(s: SettingRow): ProviderSetting {
  return {
    key: s.key,
    description: s.description,
    secret: s.secret,
    value: s.secret ? null : s.value,
    isSet: s.value !== null,
    source: s.source,
  };
}

export async function providerSettings(context: AppLoadContext): Promise<Record<string, ProviderSetting[]>> {
  const { services, ctx } = context;
  const all = await services.settings.list(ctx);
  const grouped: Record<string, ProviderSetting[]> = {};
  for (const s of all) {
    const provider = s.category === 'providers' ? providerOfSetting(s.key) : null;
    if (!provider) continue;
    grouped[provider] ??= [];
    grouped[provider].push(settingForPage(s));
  }
  return grouped;
}

/** Applies one provider's credential form; returns the keys changed. Throws AppError on a bad value. */
export async function saveProviderSettings(
  context: AppLoadContext,
  provider: string,
  form: FormData,
): Promise<{ changed: string[] }> {
  const { services, ctx } = context;
  const settings = (await providerSettings(context))[provider] ?? [];
  const changed: string[] = [];
  for (const s of settings) {
    const typed = formString(form, `value:${s.key}`).trim();
    if (s.secret) {
      if (typed) await services.settings.set(ctx, { key: s.key, value: typed });
      else if (form.has(`clear:${s.key}`)) await services.settings.unset(ctx, s.key);
      else continue;
    } else {
      if (typed === (s.value ?? '')) continue;
      if (typed) await services.settings.set(ctx, { key: s.key, value: typed });
      else if (s.source === 'database') await services.settings.unset(ctx, s.key);
      else continue;
    }
    changed.push(s.key);
  }
  return { changed };
}
