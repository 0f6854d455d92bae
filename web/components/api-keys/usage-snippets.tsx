/**
 * How to call the API with a key: curl and the official OpenAI SDKs pointed at this server's /api/v1
 * (the chat endpoint speaks OpenAI's format). The key is read from an environment variable so nobody
 * pastes it into code they share.
 */
import { useRef } from 'react';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '~/components/ui';
import { CopyButton } from './copy-button';

function snippets(apiBase: string) {
  return [
    {
      id: 'curl',
      label: 'curl',
      code: `# Who am I? (checks the key)
curl ${apiBase}/me \\
  -H "Authorization: Bearer $AI_STUDIO_API_KEY"

# Chat (OpenAI format); GET ${apiBase}/models lists the models you may use
curl ${apiBase}/chat/completions \\
  -H "Authorization: Bearer $AI_STUDIO_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "MODEL_ID", "messages": [{"role": "user", "content": "Hello"}]}'`,
    },
    {
      id: 'node',
      label: 'JavaScript (openai)',
      code: `import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: '${apiBase}',
  apiKey: process.env.AI_STUDIO_API_KEY,
});

const models = await client.models.list();
const reply = await client.chat.completions.create({
  model: models.data[0].id,
  messages: [{ role: 'user', content: 'Hello' }],
});
console.log(reply.choices[0].message.content);`,
    },
    {
      id: 'python',
      label: 'Python (openai)',
      code: `import os
from openai import OpenAI

client = OpenAI(base_url="${apiBase}", api_key=os.environ["AI_STUDIO_API_KEY"])

models = client.models.list()
reply = client.chat.completions.create(
    model=models.data[0].id,
    messages=[{"role": "user", "content": "Hello"}],
)
print(reply.choices[0].message.content)`,
    },
  ];
}

export function UsageSnippets({ apiBase }: { apiBase: string }) {
  const list = snippets(apiBase);
  return (
    <Tabs defaultValue="curl">
      <TabsList aria-label="Examples">
        {list.map((s) => (
          <TabsTrigger key={s.id} value={s.id}>
            {s.label}
          </TabsTrigger>
        ))}
      </TabsList>
      {list.map((s) => (
        <TabsContent key={s.id} value={s.id} className="pt-3">
          <Snippet code={s.code} label={s.label} />
        </TabsContent>
      ))}
    </Tabs>
  );
}

function Snippet({ code, label }: { code: string; label: string }) {
  const area = useRef<HTMLTextAreaElement>(null);
  return (
    <div className="overflow-hidden rounded-lg border border-border">
      <div className="flex items-center justify-between border-b border-border bg-surface-muted px-3 py-1.5">
        <span className="font-mono text-xs text-fg-muted">{label}</span>
        <CopyButton text={code} label={`Copy the ${label} example`} variant="ghost" fallbackRef={area} />
      </div>
      <pre className="overflow-x-auto bg-surface p-4 font-mono text-xs leading-relaxed text-fg">
        <code>{code}</code>
      </pre>
      {/* Off-screen copy of the text for the select-to-copy fallback when the clipboard is unavailable. */}
      <textarea ref={area} readOnly value={code} tabIndex={-1} aria-hidden="true" className="sr-only" />
    </div>
  );
}
