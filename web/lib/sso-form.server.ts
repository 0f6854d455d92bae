/**
 * Turns the SSO provider form into the SSO service's create/update input. Blank optional fields become
 * null; the secret follows write-only rules (blank = keep, "remove" ticked = clear); the group mapping is
 * one `group = role` per line. Only shape is handled here: the service validates the values.
 */
import { formBoolean, formOptional, formString } from './admin.server';

export type GroupRolesResult = { ok: true; value: Record<string, string> } | { ok: false; error: string };

export function parseGroupRoles(text: string): GroupRolesResult {
  const value: Record<string, string> = {};
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const m = /^(.+?)\s*(?:=>|=|→)\s*(\S+)$/.exec(line);
    if (!m) return { ok: false, error: `line ${i + 1} must look like "group = role"` };
    value[m[1]!.trim()] = m[2]!.trim().toLowerCase();
  }
  return { ok: true, value };
}

export function parseDomainList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter(Boolean);
}

/** Fields common to create and update. `present` lists type-specific fields the form showed. */
export function ssoFields(form: FormData, isCreate: boolean) {
  const groups = parseGroupRoles(formString(form, 'groupRoles'));
  const secret = formString(form, 'clientSecret');
  const clear = formBoolean(form, 'clientSecretClear');
  const optional = (name: string) => (form.has(name) ? formOptional(form, name) : undefined);
  const input = {
    displayName: formString(form, 'displayName'),
    clientId: formString(form, 'clientId'),
    // Write-only: typed → replace; "remove" ticked → clear; blank → keep (create: none).
    clientSecret: secret ? secret : clear ? null : isCreate ? null : undefined,
    issuer: optional('issuer'),
    domain: optional('domain'),
    tenant: optional('tenant'),
    allowedDomains: parseDomainList(formString(form, 'allowedDomains')),
    groupClaim: optional('groupClaim'),
    groupRoles: groups.ok ? groups.value : {},
    enabled: formBoolean(form, 'enabled'),
  };
  return { input, groupError: groups.ok ? null : groups.error };
}
