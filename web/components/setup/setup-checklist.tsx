/**
 * The administrator's first steps, each a link to where it is done and ticked from real state (the setup
 * service derives it). Shown on the home page until every step is done.
 */
import { Link } from '@remix-run/react';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui';
import { cn } from '~/lib/cn';
import type { SetupStep } from '../../../api/features/setup/setup.service';

export function SetupChecklist({ steps, appName }: { steps: SetupStep[]; appName: string }) {
  const done = steps.filter((s) => s.done).length;
  return (
    <Card>
      <CardHeader>
        <CardTitle id="setup">Set up {appName}</CardTitle>
        <CardDescription>
          You are the administrator. {done} of {steps.length} steps done — each one opens where it is set up.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <ol aria-labelledby="setup" className="flex flex-col gap-3">
          {steps.map((step) => (
            <li key={step.id} data-step={step.id} data-done={step.done} className="flex gap-3">
              <StepMark done={step.done} />
              <div>
                <Link
                  to={step.href}
                  className={cn(
                    'font-medium underline-offset-4 hover:underline',
                    step.done ? 'text-fg-muted line-through' : 'text-link',
                  )}
                >
                  {step.label}
                </Link>
                <span className="sr-only">{step.done ? ' (done)' : ' (to do)'}</span>
                <p className="text-sm text-fg-muted">{step.hint}</p>
              </div>
            </li>
          ))}
        </ol>
      </CardContent>
    </Card>
  );
}

function StepMark({ done }: { done: boolean }) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        'mt-0.5 inline-flex size-5 shrink-0 items-center justify-center rounded-full border',
        done ? 'border-primary bg-primary text-primary-fg' : 'border-border-strong',
      )}
    >
      {done ? (
        <svg
          viewBox="0 0 16 16"
          className="size-3"
          fill="none"
          stroke="currentColor"
          strokeWidth="2.5"
          aria-hidden="true"
        >
          <path d="m3.5 8.5 3 3 6-7" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      ) : null}
    </span>
  );
}
