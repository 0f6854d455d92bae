/**
 * Plain messages → the provider-level prompt `doStream` takes. For callers that are not chat (whose stored
 * UI parts have their own converter): compare, the OpenAI gateway, MCP tools, assistants.
 */
import type { LanguageModelV3Prompt } from '@ai-sdk/provider';

export type SimplePart =
  | { type: 'text'; text: string }
  /** An image or file by `data:` or http(s) URL. */
  | { type: 'file'; url: string; mediaType?: string };

export interface SimpleMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | SimplePart[];
}

type UserContent = Extract<LanguageModelV3Prompt[number], { role: 'user' }>['content'][number];

/** A file part from a `data:` URL (inlined) or an http(s) URL (passed on); null for anything else. */
export function filePart(url: string, mediaType?: string): UserContent | null {
  const data = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(url);
  if (data) {
    const payload = data[2] ? data[3]! : Buffer.from(decodeURIComponent(data[3]!)).toString('base64');
    return { type: 'file', mediaType: mediaType ?? (data[1] || 'application/octet-stream'), data: payload };
  }
  if (/^https?:\/\//.test(url))
    return { type: 'file', mediaType: mediaType ?? 'image/*', data: new URL(url) };
  return null;
}

const textOf = (content: SimpleMessage['content']) =>
  typeof content === 'string' ? content : content.map((p) => (p.type === 'text' ? p.text : '')).join('');

/** System text first (joined), then the turns; a user turn keeps its files. */
export function toPrompt(system: string | undefined, messages: SimpleMessage[]): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = system ? [{ role: 'system', content: system }] : [];
  for (const m of messages) {
    if (m.role === 'system') prompt.push({ role: 'system', content: textOf(m.content) });
    else if (m.role === 'assistant') {
      prompt.push({ role: 'assistant', content: [{ type: 'text', text: textOf(m.content) }] });
    } else if (typeof m.content === 'string') {
      prompt.push({ role: 'user', content: [{ type: 'text', text: m.content }] });
    } else {
      const content = m.content.flatMap((p): UserContent[] => {
        if (p.type === 'text') return [{ type: 'text', text: p.text }];
        const f = filePart(p.url, p.mediaType);
        return f ? [f] : [];
      });
      prompt.push({ role: 'user', content });
    }
  }
  return prompt;
}
