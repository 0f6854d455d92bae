import type { MetaFunction } from '@remix-run/node';
import { useEffect, useState } from 'react';

export const meta: MetaFunction = () => [{ title: 'AI Studio' }];

export default function Home() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <main className="p-8">
      <h1 className="text-2xl font-semibold">AI Studio</h1>
      <p data-hydrated={hydrated ? 'true' : 'false'}>Welcome.</p>
    </main>
  );
}
