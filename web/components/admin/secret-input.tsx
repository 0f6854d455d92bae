/**
 * A write-only secret field. The server never sends the secret back, only whether one is set; an empty
 * submission keeps the stored value, typing replaces it. With `clearable`, a checkbox removes it.
 */
import { Input } from '~/components/ui';

export function SecretInput({
  name,
  isSet,
  clearable = false,
  clearName,
}: {
  name: string;
  isSet: boolean;
  clearable?: boolean;
  clearName?: string;
}) {
  return (
    <div className="flex flex-col gap-2">
      <Input
        name={name}
        type="password"
        autoComplete="new-password"
        placeholder={isSet ? 'Set — type to replace' : 'Not set'}
      />
      {isSet && clearable ? (
        <label className="flex items-center gap-2 text-sm text-fg-muted">
          <input type="checkbox" name={clearName ?? `${name}Clear`} className="size-4 accent-primary" />
          Remove the stored value
        </label>
      ) : null}
    </div>
  );
}
