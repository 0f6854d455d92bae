/**
 * The redirect URI an identity provider must have registered for this application, shown before the
 * provider is saved (it follows the short name as it is typed) and after, with a copy button.
 */
import { useRef } from 'react';
import { CopyButton } from '~/components/api-keys/copy-button';

export function RedirectUri({ base, slug }: { base: string; slug: string }) {
  const input = useRef<HTMLInputElement>(null);
  const trimmed = slug.trim();
  const uri = `${base}${encodeURIComponent(trimmed || 'short-name')}`;
  return (
    <div className="rounded-lg border border-primary/30 bg-primary-soft px-4 py-3">
      <label htmlFor="redirect-uri" className="block text-sm font-medium text-fg">
        Redirect URI to register at the identity provider
      </label>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <input
          id="redirect-uri"
          ref={input}
          readOnly
          value={uri}
          className="min-w-0 flex-1 rounded-md border border-border bg-surface px-2 py-1 font-mono text-xs text-fg"
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton text={uri} label="Copy the redirect URI" fallbackRef={input} />
      </div>
      {trimmed ? null : (
        <p className="mt-1 text-xs text-fg-muted">Type the short name below; the address ends with it.</p>
      )}
    </div>
  );
}
