/**
 * Turns the OAuth client forms of /admin/oauth-clients into the clients service's input: redirect URIs
 * one per line, scopes as ticked boxes, the service account's e-mail blank = none. The service validates
 * everything (its field errors come back per field).
 */
import { formBoolean, formOptional, formStrings } from './admin.server';
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
  };
}

export function newClientInput(form: FormData) {
  return { ...clientFields(form), public: formBoolean(form, 'public') };
}
