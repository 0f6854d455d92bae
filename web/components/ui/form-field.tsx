/**
 * FormField = label + one control + optional hint and error, wired for assistive technology:
 * the control gets the id the label points at, `aria-describedby` naming the hint and error, and
 * `aria-invalid` when there is an error. Input, Textarea and Select read this from context, so
 * `<FormField label="E-mail" error={e}><Input name="email" /></FormField>` is all a form needs.
 */
import { createContext, type ReactNode, useContext, useId } from 'react';
import { cn } from '../../lib/cn';
import { Label } from './label';

interface FieldContext {
  id: string;
  describedBy: string | undefined;
  invalid: boolean;
  required: boolean;
}

const FormFieldContext = createContext<FieldContext | null>(null);

export interface FormFieldProps {
  label: ReactNode;
  children: ReactNode;
  /** Error message; its presence marks the control invalid. */
  error?: string | null;
  hint?: ReactNode;
  required?: boolean;
  /** Explicit control id (otherwise generated). */
  id?: string;
  className?: string;
}

export function FormField({ label, children, error, hint, required = false, id, className }: FormFieldProps) {
  const generated = useId();
  const controlId = id ?? `field-${generated}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <FormFieldContext.Provider value={{ id: controlId, describedBy, invalid: Boolean(error), required }}>
      <div className={cn('flex flex-col gap-1.5', className)}>
        <Label htmlFor={controlId}>
          {label}
          {required ? (
            <span className="ml-0.5 text-danger-soft-fg" aria-hidden="true">
              *
            </span>
          ) : null}
        </Label>
        {hint ? (
          <p id={hintId} className="text-sm text-fg-muted">
            {hint}
          </p>
        ) : null}
        {children}
        {error ? (
          <p id={errorId} className="text-sm font-medium text-danger-soft-fg">
            {error}
          </p>
        ) : null}
      </div>
    </FormFieldContext.Provider>
  );
}

/** Props a control needs to join its FormField; explicit props on the control win. */
export function useFormFieldControl<
  P extends { id?: string; 'aria-describedby'?: string; 'aria-invalid'?: unknown; required?: boolean },
>(props: P): P {
  const field = useContext(FormFieldContext);
  if (!field) return props;
  return {
    ...props,
    id: props.id ?? field.id,
    'aria-describedby': props['aria-describedby'] ?? field.describedBy,
    'aria-invalid': props['aria-invalid'] ?? (field.invalid || undefined),
    required: props.required ?? (field.required || undefined),
  };
}
