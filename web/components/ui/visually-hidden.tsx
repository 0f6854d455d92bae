import type { HTMLAttributes } from 'react';

/** Text for screen readers only (e.g. an icon button's name, extra table context). */
export function VisuallyHidden(props: HTMLAttributes<HTMLSpanElement>) {
  return <span {...props} className="sr-only" />;
}
