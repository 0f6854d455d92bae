import { cn } from '../../lib/cn';

const SIZES = { sm: 'size-4', md: 'size-5', lg: 'size-8' } as const;

/**
 * A spinning indicator. With a `label` it is announced as a status; without one it is decorative
 * (use that inside a control that already says it is busy, e.g. a Button with `loading`).
 */
export function Spinner({
  size = 'md',
  label,
  className,
}: {
  size?: keyof typeof SIZES;
  label?: string;
  className?: string;
}) {
  const svg = (
    <svg
      className={cn('animate-spin', SIZES[size], className)}
      viewBox="0 0 24 24"
      fill="none"
      aria-hidden="true"
    >
      <circle cx="12" cy="12" r="10" stroke="currentColor" strokeOpacity="0.25" strokeWidth="4" />
      <path d="M22 12a10 10 0 0 0-10-10" stroke="currentColor" strokeWidth="4" strokeLinecap="round" />
    </svg>
  );
  if (!label) return svg;
  return (
    <span role="status" className="inline-flex items-center gap-2">
      {svg}
      <span className="sr-only">{label}</span>
    </span>
  );
}
