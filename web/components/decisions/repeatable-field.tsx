/**
 * A list of text inputs of one name (evidence, alternatives, people…) that grows with "Add" and shrinks
 * with "Remove", so several items are entered inline. Without JavaScript the first input still posts.
 */
import { useId, useRef, useState } from 'react';
import { Button, Input } from '~/components/ui';

export function RepeatableField({
  name,
  label,
  addLabel,
  placeholder,
  hint,
  error,
  initial = [''],
}: {
  name: string;
  label: string;
  addLabel: string;
  placeholder?: string;
  hint?: string;
  error?: string;
  initial?: string[];
}) {
  const id = useId();
  const next = useRef(initial.length);
  const [rows, setRows] = useState(() => initial.map((value, i) => ({ key: i, value })));
  const add = () => {
    setRows((r) => [...r, { key: next.current++, value: '' }]);
    requestAnimationFrame(() => {
      const inputs = document.querySelectorAll<HTMLInputElement>(`[data-repeat="${id}"]`);
      inputs[inputs.length - 1]?.focus();
    });
  };
  return (
    <fieldset
      className="flex flex-col gap-2"
      aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
    >
      <legend className="text-sm font-medium text-fg">{label}</legend>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-fg-muted">
          {hint}
        </p>
      ) : null}
      {rows.map((row, i) => (
        <div key={row.key} className="flex items-center gap-2">
          <Input
            name={name}
            defaultValue={row.value}
            placeholder={placeholder}
            aria-label={`${label} ${i + 1}`}
            aria-invalid={error ? true : undefined}
            data-repeat={id}
            className="flex-1"
          />
          {rows.length > 1 ? (
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}
              onClick={() => setRows((r) => r.filter((x) => x.key !== row.key))}
            >
              Remove
            </Button>
          ) : null}
        </div>
      ))}
      {error ? (
        <p id={`${id}-error`} className="text-xs text-danger-soft-fg">
          {error}
        </p>
      ) : null}
      <div>
        <Button variant="secondary" size="sm" onClick={add}>
          {addLabel}
        </Button>
      </div>
    </fieldset>
  );
}
