import type { ReactNode } from 'react';
import { Card, CardContent, CardDescription, CardHeader } from '~/components/ui';

/** The narrow centred card the sign-in, sign-up and sign-out pages share (its title is the page's h1). */
export function AuthCard({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="mx-auto flex w-full max-w-md flex-col px-4 py-12 sm:py-20">
      <Card>
        <CardHeader>
          <h1 className="text-2xl font-semibold tracking-tight text-fg">{title}</h1>
          {description ? <CardDescription>{description}</CardDescription> : null}
        </CardHeader>
        <CardContent>{children}</CardContent>
      </Card>
    </div>
  );
}
