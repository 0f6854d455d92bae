/**
 * The fields an administrator fills in for an OAuth client (register and edit): name, redirect URIs one per
 * line, the scopes it may ask for, its per-person rate limit, and — for a confidential client — the account
 * its client_credentials tokens act as. Values are uncontrolled; `client` pre-fills them when editing.
 */
import { FormField, Input, Textarea } from '~/components/ui';

export interface ScopeChoice {
  scope: string;
  words: string;
}

export function ClientFields({
  scopes,
  fieldErrors: fe,
  client,
  confidential,
}: {
  scopes: ScopeChoice[];
  fieldErrors: Record<string, string>;
  client?: {
    name: string;
    redirectUris: string[];
    scopes: string[];
    serviceUserEmail: string | null;
    rateLimitRpm: number;
  };
  /** Whether the service-account field applies (always offered when registering). */
  confidential: boolean;
}) {
  return (
    <>
      <FormField label="Name" error={fe.name} hint="Shown to people on the consent page." required>
        <Input name="name" maxLength={100} autoComplete="off" defaultValue={client?.name} />
      </FormField>
      <FormField
        label="Redirect URIs"
        error={fe.redirectUris}
        hint="One per line. https, or http on 127.0.0.1 / [::1] / localhost (loopback IPs match any port), or an app scheme such as com.example.app:/callback."
        required
      >
        <Textarea
          name="redirectUris"
          rows={3}
          spellCheck={false}
          className="font-mono text-xs"
          defaultValue={client?.redirectUris.join('\n')}
        />
      </FormField>
      <fieldset aria-describedby={fe.scopes ? 'client-scopes-error' : undefined}>
        <legend className="text-sm font-medium text-fg">
          Scopes <span className="font-normal text-fg-muted">(what the app may ask people for)</span>
        </legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {scopes.map((s) => (
            <label key={s.scope} className="flex items-start gap-3 rounded-md px-3 py-1.5 text-sm">
              <input
                type="checkbox"
                name="scopes"
                value={s.scope}
                defaultChecked={client?.scopes.includes(s.scope)}
                aria-invalid={fe.scopes ? true : undefined}
                className="mt-0.5 size-4 accent-primary"
              />
              <span>
                <code className="text-xs font-semibold">{s.scope}</code>
                <span className="block text-fg-muted">{s.words}</span>
              </span>
            </label>
          ))}
        </div>
        {fe.scopes ? (
          <p id="client-scopes-error" className="mt-1 text-sm font-medium text-danger-soft-fg">
            Scopes {fe.scopes}
          </p>
        ) : null}
      </fieldset>
      <FormField
        label="Rate limit (requests per minute, per person)"
        error={fe.rateLimitRpm}
        hint="How many API and MCP calls one person may make through this app's access tokens each minute. Default 60."
      >
        <Input
          name="rateLimitRpm"
          type="number"
          inputMode="numeric"
          min={1}
          max={100000}
          placeholder="60"
          defaultValue={client?.rateLimitRpm}
        />
      </FormField>
      {confidential ? (
        <FormField
          label="Service account (e-mail)"
          error={fe.serviceUserEmail}
          hint="Optional, confidential clients only: the account its client_credentials tokens act as."
        >
          <Input
            name="serviceUserEmail"
            type="email"
            autoComplete="off"
            defaultValue={client?.serviceUserEmail ?? ''}
          />
        </FormField>
      ) : null}
    </>
  );
}
