import {
  forwardRef,
  type InputHTMLAttributes,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { cn } from '../../lib/cn';
import { useFormFieldControl } from './form-field';

/** Shared look of text-like controls; the border is strong enough (3:1) to find the control. */
export const controlClasses = cn(
  'w-full rounded-md border border-border-strong bg-surface px-3 text-sm text-fg shadow-sm',
  'placeholder:text-fg-muted',
  'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring',
  'disabled:cursor-not-allowed disabled:bg-surface-muted disabled:opacity-70',
  'aria-invalid:border-danger aria-invalid:ring-1 aria-invalid:ring-danger',
);

export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(function Input(
  { className, type = 'text', ...props },
  ref,
) {
  const wired = useFormFieldControl(props);
  return <input ref={ref} type={type} className={cn(controlClasses, 'h-10', className)} {...wired} />;
});

export const Textarea = forwardRef<HTMLTextAreaElement, TextareaHTMLAttributes<HTMLTextAreaElement>>(
  function Textarea({ className, rows = 4, ...props }, ref) {
    const wired = useFormFieldControl(props);
    return <textarea ref={ref} rows={rows} className={cn(controlClasses, 'py-2', className)} {...wired} />;
  },
);

/** A native <select>: best keyboard and screen-reader support on every platform. */
export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(function Select(
  { className, children, ...props },
  ref,
) {
  const wired = useFormFieldControl(props);
  return (
    <select ref={ref} className={cn(controlClasses, 'h-10 pr-8', className)} {...wired}>
      {children}
    </select>
  );
});
