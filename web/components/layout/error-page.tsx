import { Link } from '@remix-run/react';
import { buttonClasses } from '../ui';

/** Body of the 404/403/500 pages; the layout around it stays (see root ErrorBoundary). */
export function ErrorPage({ status, title, message }: { status: number; title: string; message: string }) {
  return (
    <div className="mx-auto flex max-w-2xl flex-col items-start gap-4 px-4 py-20 sm:px-6">
      <p className="text-sm font-semibold text-link">Error {status}</p>
      <h1 className="text-3xl font-bold tracking-tight text-fg sm:text-4xl">{title}</h1>
      <p className="text-base text-fg-muted">{message}</p>
      <Link to="/" className={buttonClasses('primary', 'md', 'mt-2')}>
        Go to the home page
      </Link>
    </div>
  );
}
