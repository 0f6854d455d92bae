/**
 * Turns the OAuth client forms of /admin/oauth-clients into the clients service's input: redirect URIs
 * one per line, scopes as ticked boxes, the service account's e-mail blank = none, the rate limit blank =
 * unchanged (default for a new client). The service validates
 * everything (its field errors come back per field).
 */
import type { AppLoadContext } from '@remix-run/node';
import { OAUTH_SCOPES, scopeInWords } from '../../api/features/oauth/oauth.scopes';
import { formBoolean, formInteger, formOptional, formStrings, intentOf, perform } from './admin.server';
import { formString } from './auth-form.server';

const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

export function clientFields(form: FormData) {
  return {
    name: formString(form, 'name'),
    redirectUris: lines(formString(form, 'redirectUris')),
    scopes: formStrings(form, 'scopes'),
    serviceUserEmail: formOptional(form, 'serviceUserEmail'),
    // Blank keeps the current limit (a new client gets the default); anything else the service checks.
    rateLimitRpm: formInteger(form, 'rateLimitRpm') ?? undefined,
  };
}

export function newClientInput(form: FormData) {
  return { ...clientFields(form), public: formBoolean(form, 'public') };
}

/** Every scope a client may be given, with the consent page's wording. */
export function clientScopeChoices() {
  return OAUTH_SCOPES.map((scope) => ({ scope, words: scopeInWords(scope) }));
}

/** The status buttons both admin pages carry (disable, enable, approve); null for another intent. */
export function clientStatusAction(context: AppLoadContext, form: FormData) {
  const { services, ctx } = context;
  const id = formString(form, 'id');
  switch (intentOf(form)) {
    case 'disable':
      return perform(() => services.oauthClients.update(ctx, id, { status: 'disabled' }));
    case 'enable':
      return perform(() => services.oauthClients.update(ctx, id, { status: 'active' }));
    case 'approve':
      return perform(() => services.oauthClients.approve(ctx, id));
    default:
      return null;
  }
}
