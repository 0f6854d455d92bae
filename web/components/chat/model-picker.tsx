/** The model choice: a native select (best keyboard and screen-reader support) of the usable models. */

import { cn } from '~/lib/cn';
import type { UsableModelView } from '../../../api/features/models/models.schemas';

export type PickerModel = Pick<UsableModelView, 'id' | 'displayName' | 'description' | 'capabilities'>;

export function ModelPicker({
  models,
  value,
  onChange,
  id = 'model-picker',
  label = 'Model',
  className,
  disabled,
}: {
  models: PickerModel[];
  value: string;
  onChange(id: string): void;
  id?: string;
  label?: string;
  className?: string;
  disabled?: boolean;
}) {
  return (
    <div className={cn('flex min-w-0 items-center gap-2', className)}>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <select
        id={id}
        value={value}
        disabled={disabled || models.length === 0}
        onChange={(e) => onChange(e.target.value)}
        className="h-9 min-w-0 max-w-full truncate rounded-md border border-border bg-surface pl-2.5 pr-8 text-sm font-medium text-fg shadow-sm hover:border-border-strong focus-visible:outline-2 focus-visible:outline-ring disabled:opacity-60"
      >
        {models.length === 0 ? <option value="">No models available</option> : null}
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.displayName}
            {m.capabilities.includes('vision') ? ' · vision' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
