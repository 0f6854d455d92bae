/**
 * The one moment a new secret is visible (an API key, an OAuth client secret): a read-only field with a
 * copy button and a plain warning that it will not be shown again (only its hash is stored). Focus moves
 * to the heading when it appears so keyboard and screen-reader users land on it.
 */
import { useEffect, useRef } from 'react';
import { Button, Card, CardContent, Input } from '~/components/ui';
import { CopyButton } from './copy-button';

export function NewKeyNotice({
  name,
  secret,
  onDismiss,
  what = 'API key',
  title = `Your new key “${name}”`,
}: {
  name: string;
  secret: string;
  onDismiss: () => void;
  /** What the secret is, for the field's label and the buttons ("API key", "client secret"). */
  what?: string;
  title?: string;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <Card className="border-warning-soft-fg/40" data-testid="new-key">
      <CardContent className="flex flex-col gap-4 pt-6">
        <div>
          <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold text-fg focus:outline-none">
            {title}
          </h2>
          <p className="mt-1 rounded-md bg-warning-soft px-3 py-2 text-sm font-medium text-warning-soft-fg">
            Copy it now and keep it somewhere safe. This is the only time it is shown: AI Studio stores only a
            fingerprint of it, so nobody — not even an administrator — can show it to you again.
          </p>
        </div>
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
          <label htmlFor="new-api-key" className="sr-only">
            New {what}
          </label>
          <Input
            id="new-api-key"
            ref={field}
            readOnly
            value={secret}
            spellCheck={false}
            autoComplete="off"
            className="font-mono text-xs sm:flex-1"
            onFocus={(e) => e.currentTarget.select()}
          />
          <CopyButton
            text={secret}
            label={`Copy the ${what}`}
            fallbackRef={field}
            variant="primary"
            size="md"
          />
        </div>
        <div>
          <Button variant="ghost" size="sm" onClick={onDismiss}>
            I have stored it — hide it
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}
