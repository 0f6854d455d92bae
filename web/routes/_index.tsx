/**
 * Home: what this portal is, and the parts of it this person can open (the navigation entries they may
 * see, so the page grows with the product and never lists what does not exist).
 */
import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { SetupChecklist } from '~/components/setup/setup-checklist';
import { buttonClasses, Card, CardDescription, CardHeader, CardTitle } from '~/components/ui';
import { useAppName, useRootData } from '~/lib/root-data';

/** A fresh installation invites creating the administrator; an administrator sees what is left to set up. */
export async function loader({ context }: LoaderFunctionArgs) {
  const { services, ctx } = context;
  const firstRun = await services.setup.firstRun(ctx);
  const steps = (await services.setup.checklist(ctx)) ?? [];
  return { firstRun, setup: steps.every((s) => s.done) ? [] : steps };
}

const PRINCIPLES = [
  {
    title: 'Runs on your infrastructure',
    text: 'One server with its built-in database, or your own cloud account with managed PostgreSQL — the same application either way, installed and updated by your team.',
    icon: 'M4 6h16v5H4zM4 13h16v5H4zM8 8.5h.01M8 15.5h.01',
  },
  {
    title: 'You know where your data goes',
    text: 'Accounts, conversations and files are stored in your district’s own database. What you type, and any file you attach, is sent to the provider of the model you pick (for example OpenAI, Google, Azure or Amazon Bedrock) to be answered. These pages load no outside scripts, fonts, analytics or trackers.',
    icon: 'M12 3 4 6v6c0 4.5 3.4 8.3 8 9 4.6-.7 8-4.5 8-9V6l-8-3Zm-3 9 2 2 4-4',
  },
  {
    title: 'Accessible to everyone',
    text: 'Built to WCAG 2.1 AA for Section 508: every task works from the keyboard, controls are labelled for screen readers, and light and dark themes keep text readable.',
    icon: 'M12 4.5a1.5 1.5 0 1 0 0-.01M5 8.5l7 1.5 7-1.5M12 10v4m0 0-3 6m3-6 3 6',
  },
  {
    title: 'Open to your systems',
    text: 'A documented REST API with an OpenAPI 3.1 description, so your district’s own tools can work with it.',
    icon: 'm8 8-4 4 4 4m8-8 4 4-4 4m-6 2 4-12',
  },
] as const;

function Icon({ path }: { path: string }) {
  return (
    <span className="inline-flex size-10 shrink-0 items-center justify-center rounded-lg bg-primary-soft text-primary-soft-fg">
      <svg
        viewBox="0 0 24 24"
        className="size-5"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
      >
        <path d={path} />
      </svg>
    </span>
  );
}

/** Decoration only: a soft wash of the brand colour and a faint grid, fading towards the text. */
function HeroBackdrop() {
  return (
    <div aria-hidden="true" className="pointer-events-none absolute inset-0">
      <div className="absolute -right-40 -top-40 size-[36rem] rounded-full bg-primary/10 blur-3xl" />
      <svg
        className="absolute inset-y-0 right-0 hidden h-full w-1/2 text-border lg:block"
        fill="none"
        aria-hidden="true"
      >
        <defs>
          <pattern id="hero-grid" width="32" height="32" patternUnits="userSpaceOnUse">
            <path d="M32 0H0v32" stroke="currentColor" strokeWidth="1" />
          </pattern>
          <linearGradient id="hero-fade" x1="0" x2="1">
            <stop offset="0" stopColor="white" stopOpacity="0" />
            <stop offset="1" stopColor="white" stopOpacity="1" />
          </linearGradient>
          <mask id="hero-mask">
            <rect width="100%" height="100%" fill="url(#hero-fade)" />
          </mask>
        </defs>
        <rect width="100%" height="100%" fill="url(#hero-grid)" mask="url(#hero-mask)" />
      </svg>
    </div>
  );
}

export default function Home() {
  const { firstRun, setup } = useLoaderData<typeof loader>();
  const appName = useAppName();
  const destinations = (useRootData()?.nav ?? []).filter((item) => item.description);
  return (
    <>
      <section
        aria-labelledby="welcome"
        className="relative overflow-hidden border-b border-border bg-surface"
      >
        <HeroBackdrop />
        <div className="relative mx-auto max-w-7xl px-4 py-16 sm:px-6 sm:py-24 lg:px-8">
          <p className="text-sm font-semibold uppercase tracking-wider text-link">Welcome to {appName}</p>
          <h1 id="welcome" className="mt-3 max-w-3xl text-4xl font-bold tracking-tight text-fg sm:text-5xl">
            AI for your schools, run by your district.
          </h1>
          <p className="mt-6 max-w-2xl text-lg leading-8 text-fg-muted">
            {appName} is your organisation’s own AI portal. It is hosted by your district, so the people who
            answer for student privacy decide which AI services are used, who may use them, and where the data
            lives.
          </p>
          {firstRun ? (
            <div className="mt-8 max-w-2xl rounded-xl border border-border bg-surface p-6 shadow-sm">
              <h2 className="text-lg font-semibold text-fg">Nobody has an account here yet</h2>
              <p className="mt-1.5 text-sm text-fg-muted">
                The first account becomes the administrator, who connects an AI provider, adds models and
                decides who may sign up.
              </p>
              <Link to="/auth/signup" className={buttonClasses('primary', 'md', 'mt-4')}>
                Create the administrator account
              </Link>
            </div>
          ) : null}
        </div>
      </section>

      {setup.length > 0 ? (
        <section aria-label="Setup" className="mx-auto max-w-7xl px-4 pt-14 sm:px-6 lg:px-8">
          <SetupChecklist steps={setup} appName={appName} />
        </section>
      ) : null}

      <section aria-labelledby="principles" className="mx-auto max-w-7xl px-4 py-14 sm:px-6 lg:px-8">
        <h2 id="principles" className="text-2xl font-semibold tracking-tight text-fg">
          How {appName} is built
        </h2>
        <ul className="mt-8 grid gap-6 sm:grid-cols-2">
          {PRINCIPLES.map((p) => (
            <li key={p.title} className="flex gap-4 rounded-xl border border-border bg-surface p-6 shadow-sm">
              <Icon path={p.icon} />
              <div>
                <h3 className="font-semibold text-fg">{p.title}</h3>
                <p className="mt-1.5 text-sm leading-6 text-fg-muted">{p.text}</p>
              </div>
            </li>
          ))}
        </ul>
      </section>

      {destinations.length > 0 ? (
        <section aria-labelledby="available" className="mx-auto max-w-7xl px-4 pb-16 sm:px-6 lg:px-8">
          <h2 id="available" className="text-2xl font-semibold tracking-tight text-fg">
            Available to you
          </h2>
          <ul className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {destinations.map((item) => (
              <li key={item.to}>
                <Card className="h-full transition-colors hover:border-border-strong">
                  <CardHeader className="pb-6">
                    <CardTitle as="h3" className="text-base">
                      {item.document ? (
                        <a href={item.to} className="text-link underline-offset-4 hover:underline">
                          {item.label}
                        </a>
                      ) : (
                        <Link to={item.to} className="text-link underline-offset-4 hover:underline">
                          {item.label}
                        </Link>
                      )}
                    </CardTitle>
                    <CardDescription>{item.description}</CardDescription>
                  </CardHeader>
                </Card>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
