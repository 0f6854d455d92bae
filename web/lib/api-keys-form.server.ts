/**
 * Turns the create-key form into the service's input. Only the shapes the form sends are translated (a
 * date becomes the end of that day, UTC; a blank limit means the default); everything is validated by
 * the service, so odd values come back as its field errors.
 */
import { formInteger, formStrings } from './admin.server';
import { formString } from './auth-form.server';

export function createKeyInput(form: FormData) {
  const expires = formString(form, 'expiresAt').trim();
  const rate = formInteger(form, 'rateLimitRpm');
  return {
    name: formString(form, 'name'),
    scopes: formStrings(form, 'scopes'),
    expiresAt: !expires ? null : /^\d{4}-\d{2}-\d{2}$/.test(expires) ? `${expires}T23:59:59.999Z` : expires,
    rateLimitRpm: rate === null ? undefined : rate,
  };
}

/** Today's date in UTC as YYYY-MM-DD (the earliest expiry the form offers). */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
