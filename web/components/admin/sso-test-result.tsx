import { Badge } from '~/components/ui';

export interface SsoTestReport {
  ok: boolean;
  steps: { step: string; ok: boolean; message: string }[];
}

/** The SSO test's steps (configuration, discovery, keys), each with its outcome in words. */
export function SsoTestResult({ report }: { report: SsoTestReport }) {
  return (
    <div className="mt-2 rounded-md border border-border bg-surface-muted p-3 text-sm">
      <p className="font-medium">
        <Badge variant={report.ok ? 'success' : 'danger'}>{report.ok ? 'Test passed' : 'Test failed'}</Badge>
      </p>
      <ul className="mt-2 space-y-1">
        {report.steps.map((s) => (
          <li key={s.step} className="flex gap-2">
            <span aria-hidden="true" className={s.ok ? 'text-success-soft-fg' : 'text-danger-soft-fg'}>
              {s.ok ? '✓' : '✗'}
            </span>
            <span>
              <span className="sr-only">{s.ok ? 'Passed: ' : 'Failed: '}</span>
              <span className="font-medium capitalize">{s.step}</span> — {s.message}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
