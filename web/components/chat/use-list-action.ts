/** A rail action (rename, delete, …): call the API, then revalidate the loaders, or toast why it failed. */
import { useRevalidator } from '@remix-run/react';
import { useToast } from '~/components/ui';
import { describeError } from './api';

export function useListAction() {
  const { revalidate } = useRevalidator();
  const { toast } = useToast();
  return async (what: string, call: () => Promise<unknown>) => {
    try {
      await call();
      revalidate();
    } catch (err) {
      toast({ title: `Could not ${what}`, description: describeError(err).message, variant: 'danger' });
    }
  };
}
