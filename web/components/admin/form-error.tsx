import { Alert } from '~/components/ui';

/** The form-level message of a failed action; focusable so focus can move to it when no field is to blame. */
export function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <div tabIndex={-1} data-form-error className="focus:outline-none">
      <Alert variant="danger">{error}</Alert>
    </div>
  );
}
