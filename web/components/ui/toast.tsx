/**
 * Toasts on Radix. Mount <Toaster> once (root layout); anywhere below it call
 * `const { toast } = useToast(); toast({ title: 'Saved' })`. Radix announces toasts in a live region
 * and pauses their timer while hovered or focused; F8 jumps to the toast area.
 */
import * as ToastPrimitive from '@radix-ui/react-toast';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { cn } from '../../lib/cn';

export type ToastVariant = 'info' | 'success' | 'danger';

export interface ToastInput {
  title: string;
  description?: string;
  variant?: ToastVariant;
  /** Milliseconds before it hides itself (default 5000). */
  duration?: number;
}

interface ToastItem extends ToastInput {
  id: number;
}

const ToastContext = createContext<{ toast: (input: ToastInput) => void } | null>(null);

const VARIANTS: Record<ToastVariant, string> = {
  info: 'border-border bg-surface text-fg',
  success: 'border-success-soft-fg/40 bg-success-soft text-success-soft-fg',
  danger: 'border-danger/50 bg-danger-soft text-danger-soft-fg',
};

let nextId = 1;

export function Toaster({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const toast = useCallback((input: ToastInput) => {
    const id = nextId++;
    setItems((current) => [...current.slice(-4), { ...input, id }]);
  }, []);
  const remove = (id: number) => setItems((current) => current.filter((t) => t.id !== id));
  const value = useMemo(() => ({ toast }), [toast]);
  return (
    <ToastContext.Provider value={value}>
      <ToastPrimitive.Provider swipeDirection="right" label="Notification">
        {children}
        {items.map((item) => (
          <ToastPrimitive.Root
            key={item.id}
            duration={item.duration ?? 5000}
            type={item.variant === 'danger' ? 'foreground' : 'background'}
            onOpenChange={(open) => {
              if (!open) remove(item.id);
            }}
            className={cn(
              'relative flex w-full items-start gap-3 rounded-lg border p-4 pr-10 shadow-lg animate-slide-in',
              VARIANTS[item.variant ?? 'info'],
            )}
          >
            <div className="flex flex-col gap-1">
              <ToastPrimitive.Title className="text-sm font-semibold">{item.title}</ToastPrimitive.Title>
              {item.description ? (
                <ToastPrimitive.Description className="text-sm opacity-90">
                  {item.description}
                </ToastPrimitive.Description>
              ) : null}
            </div>
            <ToastPrimitive.Close
              aria-label="Dismiss notification"
              className="absolute right-2 top-2 rounded-md p-1 opacity-80 hover:opacity-100 focus-visible:outline-2 focus-visible:outline-ring"
            >
              <svg
                viewBox="0 0 24 24"
                className="size-4"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                aria-hidden="true"
              >
                <path d="M18 6 6 18M6 6l12 12" strokeLinecap="round" />
              </svg>
            </ToastPrimitive.Close>
          </ToastPrimitive.Root>
        ))}
        <ToastPrimitive.Viewport className="fixed bottom-0 right-0 z-[60] flex w-full max-w-sm flex-col gap-2 p-4 outline-none" />
      </ToastPrimitive.Provider>
    </ToastContext.Provider>
  );
}

export function useToast() {
  const value = useContext(ToastContext);
  if (!value) throw new Error('useToast() needs <Toaster> above it (the root layout mounts one)');
  return value;
}
