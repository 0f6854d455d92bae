/**
 * What every admin form does after its action answered: a toast on success, and on failure the message
 * plus focus on the first invalid field (or the form's error summary), so keyboard and screen-reader users
 * land where the problem is. The submitted values stay in the uncontrolled inputs (nothing is reset on
 * failure); pass `resetOnSuccess` to clear a "create" form once it worked.
 */
import type { FetcherWithComponents } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useToast } from '~/components/ui';

export interface FormAnswer {
  ok: boolean;
  error?: string;
  fieldErrors?: Record<string, string>;
  data?: unknown;
}

export function useFormResult(
  fetcher: FetcherWithComponents<unknown>,
  options: { success?: string | ((data: unknown) => string | null); resetOnSuccess?: boolean } = {},
) {
  const ref = useRef<HTMLFormElement>(null);
  const { toast } = useToast();
  const answer = (fetcher.state === 'idle' ? fetcher.data : undefined) as FormAnswer | undefined;
  const seen = useRef<unknown>(undefined);
  const { success, resetOnSuccess } = options;

  useEffect(() => {
    if (!answer || seen.current === answer) return;
    seen.current = answer;
    if (answer.ok) {
      const message = typeof success === 'function' ? success(answer.data) : success;
      if (message) toast({ title: message, variant: 'success' });
      if (resetOnSuccess) ref.current?.reset();
      return;
    }
    const form = ref.current;
    const target =
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form?.querySelector<HTMLElement>('[data-form-error]');
    target?.focus();
  }, [answer, success, resetOnSuccess, toast]);

  const failed = answer && !answer.ok ? answer : null;
  return {
    ref,
    busy: fetcher.state !== 'idle',
    error: failed?.error ?? null,
    fieldErrors: failed?.fieldErrors ?? {},
    data: answer?.ok ? answer.data : undefined,
  };
}
