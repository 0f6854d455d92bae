/** The compare controls: which models (2–4, as toggle chips) and the prompt box. */
import { Link } from '@remix-run/react';
import { cn } from '~/lib/cn';
import { useCan } from '~/lib/root-data';
import { Composer } from '../chat/composer';
import { CheckIcon } from '../chat/icons';
import type { PickerModel } from '../chat/model-picker';

export function ModelChooser({
  models,
  selected,
  onChange,
  disabled,
}: {
  models: PickerModel[];
  selected: string[];
  onChange(ids: string[]): void;
  disabled?: boolean;
}) {
  const canManageModels = useCan('admin:models');
  if (models.length < 2) {
    return (
      <p className="rounded-lg border border-border bg-surface px-4 py-3 text-sm text-fg-muted">
        Comparing needs at least two models available to you.{' '}
        {canManageModels ? (
          <Link to="/admin/models" className="font-medium text-link underline">
            Add models for Compare in Admin → Models.
          </Link>
        ) : (
          'Your administrator can make more models available for Compare.'
        )}
      </p>
    );
  }
  const toggle = (id: string) =>
    onChange(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id].slice(0, 4));
  return (
    <fieldset disabled={disabled}>
      <legend className="mb-2 text-sm font-medium text-fg">
        Models <span className="font-normal text-fg-muted">({selected.length} of 2–4 selected)</span>
      </legend>
      <div className="flex flex-wrap gap-2">
        {models.map((m) => {
          const on = selected.includes(m.id);
          const full = !on && selected.length >= 4;
          return (
            <label
              key={m.id}
              className={cn(
                'inline-flex cursor-pointer items-center gap-2 rounded-full border px-3 py-1.5 text-sm transition-colors',
                'has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-ring',
                on
                  ? 'border-primary bg-primary-soft font-medium text-primary-soft-fg'
                  : 'border-border bg-surface text-fg hover:border-border-strong',
                full && 'cursor-not-allowed opacity-50',
              )}
            >
              <input
                type="checkbox"
                className="sr-only"
                checked={on}
                disabled={full}
                onChange={() => toggle(m.id)}
              />
              {on ? <CheckIcon className="size-3.5" /> : null}
              {m.displayName}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

export function CompareComposer(props: {
  busy: boolean;
  followUp: boolean;
  disabled: boolean;
  disabledReason: string;
  onSend(prompt: string): void;
  onStop(): void;
}) {
  return (
    <Composer
      inputId="compare-input"
      label={props.followUp ? 'Follow-up question for every model' : 'Prompt for every model'}
      placeholder={props.followUp ? 'Ask every model a follow-up' : 'Ask every selected model the same thing'}
      busy={props.busy}
      disabled={props.disabled}
      disabledReason={props.disabledReason}
      onSend={props.onSend}
      onStop={props.onStop}
    />
  );
}
