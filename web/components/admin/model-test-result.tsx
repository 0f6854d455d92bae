import { Badge } from '~/components/ui';

export interface ModelTestAnswer {
  ok: boolean;
  latencyMs: number;
  text?: string;
  error?: { message: string; status?: number };
}

/** The outcome of a one-token test call: latency on success, the provider's readable error otherwise. */
export function ModelTestResult({ result }: { result: ModelTestAnswer }) {
  return (
    <p className="mt-1 flex flex-wrap items-center gap-2 text-sm">
      <Badge variant={result.ok ? 'success' : 'danger'}>{result.ok ? 'Works' : 'Failed'}</Badge>
      {result.ok ? (
        <span className="text-fg-muted">Answered in {result.latencyMs.toLocaleString('en-US')} ms</span>
      ) : (
        <span className="text-danger-soft-fg">
          {result.error?.message ?? 'The call failed'}
          {result.error?.status ? ` (HTTP ${result.error.status})` : ''}
        </span>
      )}
    </p>
  );
}
