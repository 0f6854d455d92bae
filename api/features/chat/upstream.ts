/**
 * Chat's prompt for the model-call core: stored UI parts of the branch → the provider-level prompt.
 * Everything else about the call (stream, retries, usage, error wording) lives in api/ai/run.
 */
import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import type { StoredPart } from '../../../db/schema/index';
import { filePart } from '../../ai/run';

export interface PromptMessage {
  role: 'user' | 'assistant' | 'system';
  parts: StoredPart[];
}

type UserContent = Extract<LanguageModelV3Prompt[number], { role: 'user' }>['content'][number];

function storedFile(p: StoredPart): UserContent | null {
  const url = typeof p.url === 'string' ? p.url : '';
  const mediaType = typeof p.mediaType === 'string' ? p.mediaType : 'application/octet-stream';
  return filePart(url, mediaType);
}

/** The provider prompt: system prompt, then text (and files for user turns); empty turns are dropped. */
export function toProviderPrompt(
  system: string | undefined,
  history: PromptMessage[],
): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = system ? [{ role: 'system', content: system }] : [];
  for (const m of history) {
    const texts = m.parts.flatMap((p) =>
      p.type === 'text' && typeof p.text === 'string' && p.text !== ''
        ? [{ type: 'text' as const, text: p.text }]
        : [],
    );
    if (m.role === 'assistant') {
      if (texts.length) prompt.push({ role: 'assistant', content: texts });
    } else if (m.role === 'user') {
      const files = m.parts.flatMap((p) =>
        p.type === 'file' ? [storedFile(p)].filter((f) => f !== null) : [],
      );
      const content = [...files, ...texts] as UserContent[];
      if (content.length) prompt.push({ role: 'user', content });
    } else if (texts.length) {
      prompt.push({ role: 'system', content: texts.map((t) => t.text).join('\n') });
    }
  }
  return prompt;
}
