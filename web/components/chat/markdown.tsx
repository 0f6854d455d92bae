/**
 * Markdown for model answers: GitHub-flavoured (tables, task lists, strikethrough), code highlighted by
 * highlight.js through rehype-highlight — all bundled, nothing loaded at run time, no eval and no raw HTML
 * (react-markdown ignores HTML in the source), so it is safe under our CSP and with untrusted text.
 * Links open in a new tab without referrer. `streaming` skips highlighting of the last, unfinished block.
 */
import { memo, useState } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { cn } from '~/lib/cn';
import { CheckIcon, CopyIcon } from './icons';

/** Copies text to the clipboard and says so for two seconds. */
export function useCopy(): [boolean, (text: string) => void] {
  const [copied, setCopied] = useState(false);
  return [
    copied,
    (text) => {
      void navigator.clipboard?.writeText(text).then(() => {
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      });
    },
  ];
}

function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (node && typeof node === 'object' && 'props' in node) {
    return textOf((node as { props: { children?: unknown } }).props.children);
  }
  return '';
}

function CodeBlock({ children, className }: { children?: React.ReactNode; className?: string }) {
  const [copied, copy] = useCopy();
  const code = textOf(children);
  const language = /language-([\w+-]+)/.exec(className ?? '')?.[1];
  return (
    <div className="md-code group/code not-prose my-3 overflow-hidden rounded-lg border border-border">
      <div className="flex items-center justify-between border-b border-border bg-surface-muted px-3 py-1 text-xs text-fg-muted">
        <span className="font-mono">{language ?? 'text'}</span>
        <button
          type="button"
          onClick={() => copy(code.replace(/\n$/, ''))}
          className="inline-flex items-center gap-1 rounded px-1.5 py-1 font-medium text-fg-muted hover:bg-surface hover:text-fg"
        >
          {copied ? <CheckIcon className="size-3.5" /> : <CopyIcon className="size-3.5" />}
          <span>{copied ? 'Copied' : 'Copy code'}</span>
        </button>
      </div>
      <pre className="overflow-x-auto p-3 text-[13px] leading-relaxed">
        <code className={className}>{children}</code>
      </pre>
    </div>
  );
}

const COMPONENTS: Components = {
  pre: ({ children }) => {
    const child = Array.isArray(children) ? children[0] : children;
    const props = (child as { props?: { className?: string; children?: React.ReactNode } })?.props ?? {};
    return <CodeBlock className={props.className}>{props.children}</CodeBlock>;
  },
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
  table: ({ children }) => (
    <div className="my-3 overflow-x-auto">
      <table>{children}</table>
    </div>
  ),
};

const PLUGINS_HIGHLIGHT = [[rehypeHighlight, { detect: false, ignoreMissing: true }]] as never[];

export const Markdown = memo(function Markdown({
  text,
  className,
  streaming = false,
}: {
  text: string;
  className?: string;
  streaming?: boolean;
}) {
  return (
    <div className={cn('md', className)}>
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        // Highlighting re-runs on every token; while streaming it is skipped, and applied once at the end.
        rehypePlugins={streaming ? [] : PLUGINS_HIGHLIGHT}
        components={COMPONENTS}
        skipHtml
      >
        {text}
      </ReactMarkdown>
    </div>
  );
});
