/**
 * A destructive action behind a confirmation dialog. The dialog's confirm button submits a small form
 * through the given fetcher; Escape or "Cancel" closes it and focus returns to the trigger (Radix).
 */
import type { FetcherWithComponents } from '@remix-run/react';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import {
  Button,
  type ButtonProps,
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '~/components/ui';

export function ConfirmAction({
  fetcher,
  fields,
  action,
  trigger,
  triggerVariant = 'danger',
  triggerSize = 'sm',
  title,
  description,
  confirmLabel,
  confirmVariant = 'danger',
}: {
  fetcher: FetcherWithComponents<unknown>;
  /** Hidden fields posted on confirm (intent, ids…). */
  fields: Record<string, string>;
  action?: string;
  trigger: ReactNode;
  triggerVariant?: ButtonProps['variant'];
  triggerSize?: ButtonProps['size'];
  title: string;
  description: ReactNode;
  confirmLabel: string;
  confirmVariant?: ButtonProps['variant'];
}) {
  const [open, setOpen] = useState(false);
  const busy = fetcher.state !== 'idle';
  const submitted = useRef(false);
  if (busy) submitted.current = true;
  // When the action removed what this button belonged to (a deleted row, a swapped button), Radix has no
  // trigger to return focus to: put it on the page's main region instead of losing it to <body>.
  useEffect(
    () => () => {
      if (submitted.current) document.getElementById('main')?.focus();
    },
    [],
  );
  // Close once the request finished (success or failure; the page shows the outcome).
  useEffect(() => {
    if (!busy) setOpen(false);
  }, [busy]);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant={triggerVariant} size={triggerSize}>
          {trigger}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        <fetcher.Form method="post" action={action}>
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <DialogFooter className="mt-6">
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button type="submit" variant={confirmVariant} loading={busy}>
              {confirmLabel}
            </Button>
          </DialogFooter>
        </fetcher.Form>
      </DialogContent>
    </Dialog>
  );
}
