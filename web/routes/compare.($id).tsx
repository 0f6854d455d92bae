/**
 * /compare and /compare/:id — Model Compare. Pick 2–4 models, ask once, watch every answer stream side by
 * side with its time-to-first-token, speed, tokens and cost; ask follow-ups; fuse the answers with a chosen
 * model. Comparisons are saved and listed in the rail. Needs `compare:use`.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useNavigate, useParams, useRevalidator } from '@remix-run/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '~/components/chat/api';
import { PlusIcon, SparkIcon } from '~/components/chat/icons';
import { CompareColumn } from '~/components/compare/compare-column';
import { CompareComposer, ModelChooser } from '~/components/compare/compare-form';
import { SavedList } from '~/components/compare/saved-list';
import { type LiveRun, useCompareRun } from '~/components/compare/use-compare-run';
import { Alert, Button } from '~/components/ui';
import { requireCapability } from '~/lib/auth.server';
import { asResponse } from '~/lib/chat.server';
import { cn } from '~/lib/cn';
import { pageTitle, useLocale } from '~/lib/root-data';
import markdownStyles from '~/styles/markdown.css?url';
import type { ComparisonView, TurnView } from '../../api/features/compare/compare.schemas';
import { budgetReachedMessage } from '../../api/features/usage/budget-wording';
import type { BudgetStatusView } from '../../api/features/usage/usage.schemas';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: markdownStyles }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'Compare models');

/** One screen: the page never scrolls, the answers and the saved list do. */
export const handle = { fullHeight: true };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireCapability(context, request, 'compare:use');
  const { services, ctx } = context;
  try {
    const [list, models, comparison, budget] = await Promise.all([
      services.compare.list(ctx, 30),
      services.models.listUsable(ctx, 'compare'),
      params.id ? services.compare.get(ctx, params.id) : Promise.resolve(null),
      services.budgets.status(ctx).catch((): BudgetStatusView | null => null),
    ]);
    return {
      list,
      comparison,
      // Once this month's budget is used up, asking and fusing are turned off with the reason (as in chat).
      budgetExceeded: budget?.exceeded ? budget : null,
      models: models.map((m) => ({
        id: m.id,
        displayName: m.displayName,
        description: m.description,
        capabilities: m.capabilities,
      })),
    };
  } catch (err) {
    return asResponse(err);
  }
}

const gridCols = (n: number) =>
  cn('grid gap-4', n >= 2 && 'md:grid-cols-2', n === 3 && 'xl:grid-cols-3', n >= 4 && '2xl:grid-cols-4');

function PromptBubble({ text }: { text: string }) {
  return (
    <div className="flex justify-end">
      <p className="max-w-3xl whitespace-pre-wrap rounded-2xl rounded-br-md bg-primary-soft px-4 py-2.5 text-[15px] leading-6 text-fg dark:text-primary-soft-fg">
        {text}
      </p>
    </div>
  );
}

function SavedTurn({ turn }: { turn: TurnView }) {
  const answers = turn.results.filter((r) => r.kind === 'answer');
  const fusions = turn.results.filter((r) => r.kind === 'fusion');
  const col = (r: (typeof turn.results)[number]) => ({
    column: r.column,
    modelName: r.modelName,
    text: r.text,
    ttftMs: r.ttftMs,
    result: r,
    streaming: false,
  });
  return (
    <li className="space-y-4">
      <h2 className="sr-only">Prompt {turn.position + 1}</h2>
      <PromptBubble text={turn.prompt} />
      <div className={gridCols(answers.length)}>
        {answers.map((r) => (
          <CompareColumn key={r.id} data={col(r)} />
        ))}
      </div>
      {fusions.map((r) => (
        <CompareColumn key={r.id} data={col(r)} fusion />
      ))}
    </li>
  );
}

function LiveTurn({ run }: { run: LiveRun }) {
  const data = run.columns.map((c) => ({ ...c, streaming: run.status === 'streaming' && !c.result }));
  return (
    <li className="space-y-4" aria-live="off">
      {run.kind === 'answer' ? <PromptBubble text={run.prompt} /> : null}
      {run.kind === 'fusion' ? (
        data.map((c) => <CompareColumn key="fusion" data={c} fusion />)
      ) : (
        <div className={gridCols(data.length)}>
          {data.map((c) => (
            <CompareColumn key={c.column} data={c} />
          ))}
        </div>
      )}
    </li>
  );
}

export default function ComparePage() {
  const { list, comparison, models, budgetExceeded } = useLoaderData<typeof loader>();
  const locale = useLocale();
  const blockedReason = budgetExceeded ? budgetReachedMessage(budgetExceeded, locale) : undefined;
  const params = useParams();
  const navigate = useNavigate();
  const { revalidate } = useRevalidator();
  const [selected, setSelected] = useState<string[]>(() => models.slice(0, 2).map((m) => m.id));
  const [fuseModel, setFuseModel] = useState(models[0]?.id ?? '');

  const onDone = useCallback(
    (run: LiveRun) => {
      // Stopped columns are saved by the server after the request closes; give it a moment.
      const reload = () => {
        if (run.comparisonId && !params.id) navigate(`/compare/${run.comparisonId}`, { replace: true });
        else revalidate();
      };
      if (run.status === 'error' && !run.comparisonId) return;
      setTimeout(reload, run.columns.some((c) => !c.result) ? 400 : 0);
    },
    [params.id, navigate, revalidate],
  );
  const { run, start, stop, clear } = useCompareRun(onDone);
  const streaming = run?.status === 'streaming';

  // Saved data replaces the live run once it has been reloaded.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on new loader data only
  useEffect(() => {
    if (run && run.status !== 'streaming' && !run.error) clear();
  }, [comparison]);

  // A different comparison (or a new one) starts clean.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on navigation only
  useEffect(() => {
    if (!streaming) clear();
  }, [params.id]);

  // A new run (answers or a fusion) appears below what is saved: bring it into view once it starts.
  const scroller = useRef<HTMLDivElement>(null);
  // A reopened comparison opens at its latest turn.
  const openedId = comparison?.id;
  useEffect(() => {
    const el = scroller.current;
    if (openedId && el) el.scrollTop = el.scrollHeight;
  }, [openedId]);
  const runKey = run?.turnId ? `${run.turnId}-${run.kind}` : null;
  useEffect(() => {
    const el = scroller.current;
    if (runKey && el) el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
  }, [runKey]);

  const turns: TurnView[] = (comparison as ComparisonView | null)?.turns ?? [];
  const failure = run?.status === 'error' ? describeError(new Error(run.error ?? '')) : null;

  return (
    <div className="flex h-full overflow-hidden">
      <aside
        aria-label="Comparisons"
        className="hidden w-64 shrink-0 flex-col border-r border-border bg-surface lg:flex"
      >
        <div className="p-3">
          <Button asChild variant="secondary" className="w-full justify-start">
            <Link to="/compare">
              <PlusIcon />
              New comparison
            </Link>
          </Button>
        </div>
        <SavedList list={list} activeId={params.id} />
      </aside>

      <div className="flex min-w-0 flex-1 flex-col">
        <div className="flex h-14 shrink-0 items-center gap-3 border-b border-border bg-surface px-4">
          <h1 className="min-w-0 flex-1 truncate text-base font-semibold text-fg">
            {comparison ? comparison.title : 'Compare models'}
          </h1>
          {comparison ? (
            <Button asChild size="sm" variant="secondary" className="lg:hidden">
              <Link to="/compare">New</Link>
            </Button>
          ) : null}
        </div>

        <div ref={scroller} className="relative min-h-0 flex-1 overflow-y-auto">
          <div className="mx-auto w-full max-w-[110rem] space-y-6 px-4 py-6 sm:px-6">
            {!comparison && !run ? (
              <div className="max-w-3xl">
                <p className="text-sm text-fg-muted">
                  Ask several models the same question and see their answers side by side — how fast each
                  starts, how fast it writes, and what it costs. Then merge the best of them into one answer.
                </p>
              </div>
            ) : null}
            {!comparison ? (
              <ModelChooser models={models} selected={selected} onChange={setSelected} disabled={streaming} />
            ) : null}

            {!comparison && !run && list.length > 0 ? (
              <div className="flex max-h-72 flex-col rounded-xl border border-border bg-surface pt-3 lg:hidden">
                <SavedList list={list} activeId={params.id} />
              </div>
            ) : null}

            <ol className="space-y-10">
              {turns.map((t) => (
                <SavedTurn key={t.id} turn={t} />
              ))}
              {run && (run.columns.length > 0 || run.kind === 'answer') ? <LiveTurn run={run} /> : null}
            </ol>

            {failure ? (
              <Alert
                variant="danger"
                title={failure.budget ? 'Monthly budget reached' : 'The comparison failed'}
              >
                {failure.message}
              </Alert>
            ) : blockedReason ? (
              <Alert variant="warning" title="Monthly budget reached" className="max-w-3xl">
                <p>{blockedReason} Comparing and fusing are turned off until then.</p>
              </Alert>
            ) : null}

            {comparison && turns.length > 0 && !streaming ? (
              <div className="flex flex-wrap items-center gap-2 rounded-xl border border-dashed border-border-strong/60 bg-surface px-4 py-3">
                <SparkIcon className="size-4 text-link" />
                <span className="text-sm text-fg">Fuse the latest answers into one with</span>
                <label htmlFor="fuse-model" className="sr-only">
                  Model that fuses the answers
                </label>
                <select
                  id="fuse-model"
                  value={fuseModel}
                  onChange={(e) => setFuseModel(e.target.value)}
                  className="h-9 rounded-md border border-border bg-surface px-2 text-sm text-fg"
                >
                  {models.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.displayName}
                    </option>
                  ))}
                </select>
                <Button
                  size="sm"
                  disabled={!fuseModel || blockedReason !== undefined}
                  aria-description={blockedReason}
                  title={blockedReason}
                  onClick={() =>
                    void start(
                      `/api/comparisons/${comparison.id}/fuse`,
                      { modelId: fuseModel },
                      { kind: 'fusion', prompt: '' },
                    )
                  }
                >
                  Fuse answers
                </Button>
              </div>
            ) : null}
          </div>
        </div>

        <div className="shrink-0 border-t border-border bg-canvas px-4 py-3 sm:px-6">
          <div className="mx-auto w-full max-w-4xl">
            <CompareComposer
              busy={streaming}
              followUp={Boolean(comparison)}
              disabled={
                blockedReason !== undefined || (!comparison && (selected.length < 2 || selected.length > 4))
              }
              disabledReason={blockedReason ?? 'Pick 2 to 4 models to compare'}
              onStop={stop}
              onSend={(prompt) => {
                if (comparison) {
                  void start(
                    `/api/comparisons/${comparison.id}/turns`,
                    { prompt },
                    { kind: 'answer', prompt },
                  );
                } else {
                  void start('/api/comparisons', { prompt, modelIds: selected }, { kind: 'answer', prompt });
                }
              }}
            />
          </div>
        </div>
      </div>
    </div>
  );
}
