import type { HTMLAttributes, ReactNode } from 'react';
import { cn } from '../../lib/cn';

const VARIANTS = {
  info: 'bg-primary-soft text-primary-soft-fg border-primary/30',
  success: 'bg-success-soft text-success-soft-fg border-success-soft-fg/30',
  warning: 'bg-warning-soft text-warning-soft-fg border-warning-soft-fg/30',
  danger: 'bg-danger-soft text-danger-soft-fg border-danger/40',
} as const;

export type AlertVariant = keyof typeof VARIANTS;

const ICONS: Record<AlertVariant, string> = {
  info: 'M12 16v-4m0-4h.01M22 12a10 10 0 1 1-20 0 10 10 0 0 1 20 0Z',
  success: 'm9 12 2 2 4-4m7 2a10 10 0 1 1-20 0 10 10 0 0 1 20 0Z',
  warning: 'M12 9v4m0 4h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z',
  danger: 'M12 8v4m0 4h.01M22 12a10 10 0 1 1-20 0 10 10 0 0 1 20 0Z',
};

export interface AlertProps extends Omit<HTMLAttributes<HTMLDivElement>, 'title'> {
  variant?: AlertVariant;
  title?: ReactNode;
}

/**
 * A message block. Danger and warning alerts use role="alert" so screen readers announce them when they
 * appear (e.g. after a failed form submit); the others are polite status messages.
 */
export function Alert({ variant = 'info', title, className, children, role, ...props }: AlertProps) {
  return (
    <div
      role={role ?? (variant === 'danger' || variant === 'warning' ? 'alert' : 'status')}
      className={cn('flex gap-3 rounded-lg border p-4 text-sm', VARIANTS[variant], className)}
      {...props}
    >
      <svg
        className="mt-0.5 size-5 shrink-0"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
      >
        <path d={ICONS[variant]} />
      </svg>
      <div className="flex flex-col gap-1">
        {title ? <p className="font-semibold">{title}</p> : null}
        {children ? <div>{children}</div> : null}
      </div>
    </div>
  );
}
