/**
 * A "Copy" button for a value shown on the page. When the clipboard is unavailable (older browsers, a page
 * not served over HTTPS) it selects the text in the given input instead and says to press Ctrl+C, so the
 * value can always be taken. The outcome is announced politely.
 */
import { type RefObject, useEffect, useState } from 'react';
import { Button, type ButtonProps } from '~/components/ui';

type CopyState = 'idle' | 'copied' | 'select';

export function CopyButton({
  text,
  label = 'Copy',
  fallbackRef,
  variant = 'secondary',
  size = 'sm',
}: {
  text: string;
  /** Accessible name, e.g. "Copy the API key". */
  label?: string;
  /** An input or textarea holding `text`, selected when the clipboard cannot be written. */
  fallbackRef?: RefObject<HTMLInputElement | HTMLTextAreaElement | null>;
  variant?: ButtonProps['variant'];
  size?: ButtonProps['size'];
}) {
  const [state, setState] = useState<CopyState>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 4000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      fallbackRef?.current?.focus();
      fallbackRef?.current?.select();
      setState('select');
    }
  }

  return (
    <span className="inline-flex items-center gap-2">
      <Button variant={variant} size={size} onClick={copy} aria-label={label === 'Copy' ? undefined : label}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </Button>
      <span aria-live="polite" className="text-xs text-fg-muted">
        {state === 'copied' ? <span className="sr-only">Copied to the clipboard</span> : null}
        {state === 'select' ? 'Selected — press Ctrl+C (⌘C) to copy' : null}
      </span>
    </span>
  );
}
