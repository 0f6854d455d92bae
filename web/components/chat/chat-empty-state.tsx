/** What an empty conversation shows: the administrator's setup checklist, or a greeting. */
import { SetupChecklist } from '~/components/setup/setup-checklist';
import { useAppName } from '~/lib/root-data';
import type { SetupStep } from '../../../api/features/setup/setup.service';

export function EmptyState({ noModels, setup }: { noModels: boolean; setup: SetupStep[] | null }) {
  const appName = useAppName();
  if (noModels && setup) {
    return (
      <div className="mx-auto w-full max-w-2xl px-4 pt-10 sm:pt-16">
        <SetupChecklist steps={setup} appName={appName} />
      </div>
    );
  }
  return (
    <div className="flex flex-col items-center px-4 pt-16 text-center sm:pt-24">
      <div className="flex size-12 items-center justify-center rounded-2xl bg-primary-soft text-primary-soft-fg">
        <svg
          viewBox="0 0 24 24"
          className="size-6"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          aria-hidden="true"
        >
          <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12Z" strokeLinejoin="round" />
        </svg>
      </div>
      <h2 className="mt-4 text-xl font-semibold text-fg">How can I help today?</h2>
      <p className="mt-2 max-w-md text-sm text-fg-muted">
        {noModels
          ? 'No AI model has been made available to your account yet. Your administrator can add one.'
          : 'Ask a question, draft a lesson plan, or paste text to summarise. Pick a model above; add instructions to set a role or tone.'}
      </p>
    </div>
  );
}
