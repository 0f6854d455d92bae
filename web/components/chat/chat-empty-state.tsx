/** What an empty conversation shows: the administrator's setup checklist, or a greeting. */
import { SetupChecklist } from '~/components/setup/setup-checklist';
import { useAppName } from '~/lib/root-data';
import type { SetupStep } from '../../../api/features/setup/setup.service';
import { ChatBubbleIcon } from './icons';

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
        <ChatBubbleIcon className="size-6" />
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
